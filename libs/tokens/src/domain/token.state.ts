import type { TokenScope } from './token-scopes.js';

export type TokenState =
  | { status: 'absent' }
  | {
      status: 'active' | 'revoked';
      tokenId: string;
      workspaceId: string;
      userId: string;
      name: string;
      prefix: string;
      scopes: TokenScope[];
      expiresAt: string | null;
      createdAt: string;
      revokedAt: string | null;
    };

/** Usable right now: exists, not revoked, not past its expiry. */
export function isTokenUsable(state: TokenState, now: Date): boolean {
  if (state.status !== 'active') return false;
  return state.expiresAt === null || new Date(state.expiresAt) > now;
}
