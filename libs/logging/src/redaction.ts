/**
 * Paths pino replaces with "[redacted]": credentials in headers, and every field that can hold a
 * token or a signing secret. Log lines must never carry either.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'token',
  'secret',
  '*.token',
  '*.secret',
  '*.secrets',
  '*.hash',
  '*.password',
  '*.authorization',
  '*.adminApiKey',
  '*.dataEncryptionKey',
];

const SECRET_PATTERNS: [RegExp, string][] = [
  [/wm_[0-9A-Za-z]{20,}/g, 'wm_[redacted]'],
  [/whsec_[0-9A-Za-z+/=_-]{10,}/g, 'whsec_[redacted]'],
  [/wmadmin_[0-9A-Za-z_-]{10,}/g, 'wmadmin_[redacted]'],
  [/(Bearer\s+)[^\s"']+/gi, '$1[redacted]'],
];

/** Last line of defence for free-text messages (errors, stack traces) that might quote a credential. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
