import type { TokenScope, TokenView } from '../../../../libs/tokens/src/index.js';

export type Principal =
  | { kind: 'admin' }
  | {
      kind: 'token';
      tokenId: string;
      workspaceId: string;
      userId: string;
      scopes: TokenScope[];
      token: TokenView;
    };

export type TokenPrincipal = Extract<Principal, { kind: 'token' }>;
