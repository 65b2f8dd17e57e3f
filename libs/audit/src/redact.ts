/** Field names whose values never leave the service through the audit API, at any depth. */
const SECRET_FIELDS = new Set([
  'hash',
  'secret',
  'secrets',
  'token',
  'previousSecret',
  'wrappedKey',
  'authorization',
]);

export const REDACTED = '[redacted]';

/**
 * Deep copy with secrets and token hashes replaced. Signing secrets in events are already
 * encrypted, but even ciphertext is not the auditors' business.
 */
export function redact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redact(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_FIELDS.has(key) && v !== null && v !== undefined ? REDACTED : redact(v);
  }
  return out as T;
}
