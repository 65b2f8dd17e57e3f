import type { Page } from '../../../kernel/src/index.js';
import type { TokenCreated } from '../domain/token.events.js';
import type { TokenView } from './token.read-model.js';

export const TOKEN_READ_REPOSITORY = Symbol('TOKEN_READ_REPOSITORY');

export interface TokenListQuery {
  workspaceId: string;
  limit: number;
  cursor?: { t: string; id: string };
  includeRevoked: boolean;
}

/**
 * Token read model port. Writes come only from the projection and are idempotent by stream
 * revision: each row keeps the revision it last applied and ignores anything not newer.
 */
export interface TokenReadRepository {
  applyCreated(event: TokenCreated['data'], revision: number): Promise<void>;
  applyRevoked(tokenId: string, revokedAt: string, revision: number): Promise<void>;
  findByHash(hash: string): Promise<TokenView | null>;
  findById(workspaceId: string, tokenId: string): Promise<TokenView | null>;
  list(query: TokenListQuery): Promise<Page<TokenView>>;
  /** Usage telemetry, not a state change: written directly, outside the event stream. */
  touchLastUsed(tokenId: string, at: string): Promise<void>;
  clear(): Promise<void>;
}
