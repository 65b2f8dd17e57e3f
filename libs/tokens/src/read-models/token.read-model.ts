import type { TokenScope } from '../domain/token-scopes.js';

/** What the API shows of a token: never the plaintext, never the hash. */
export interface TokenView {
  id: string;
  workspaceId: string;
  userId: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
