import type { TokenScope } from './token-scopes.js';

export const TOKEN_CATEGORY = 'token';

/** Carries the SHA-256 hash of the token, never the plaintext (events are kept forever). */
export interface TokenCreated {
  type: 'TokenCreated';
  data: {
    tokenId: string;
    workspaceId: string;
    userId: string;
    name: string;
    prefix: string;
    hash: string;
    scopes: TokenScope[];
    expiresAt: string | null;
    createdAt: string;
  };
}

export interface TokenRevoked {
  type: 'TokenRevoked';
  data: { tokenId: string; workspaceId: string; revokedAt: string };
}

export type TokenEvent = TokenCreated | TokenRevoked;

export const TOKEN_EVENT_TYPES: ReadonlySet<string> = new Set(['TokenCreated', 'TokenRevoked']);
