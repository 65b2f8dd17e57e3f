export const TOKEN_SCOPES = ['tokens:read', 'tokens:write', 'webhooks:read', 'webhooks:write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** Scopes in a stable order without duplicates, so equal sets compare and display equally. */
export function normalizeScopes(scopes: readonly TokenScope[]): TokenScope[] {
  return TOKEN_SCOPES.filter((s) => scopes.includes(s));
}
