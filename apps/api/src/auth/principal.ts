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

/**
 * A request the AuthGuard let through on an API token. Handlers take it with `@Req()` rather than
 * a custom param decorator: Nest runs the global pipes on every custom param (one more async
 * chain per request, for a value that needs no validation); `@Req()` is handed over as is.
 */
export interface TokenRequest {
  user: TokenPrincipal;
}
