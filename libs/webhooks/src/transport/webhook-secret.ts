import { randomBytes } from 'node:crypto';

/** Prefix shared with the Standard Webhooks libraries, which strip it before base64-decoding. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` + base64 of 32 random bytes (256-bit HMAC key). */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The HMAC key of the Standard Webhooks signature: the base64-decoded part after `whsec_`.
 * (The GitHub-style signature uses the whole secret string as its key instead.)
 */
export function secretKeyBytes(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new Error(`webhook secret must start with "${WEBHOOK_SECRET_PREFIX}"`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  // Buffer.from(…, 'base64') silently skips junk; insist on real base64 so a corrupted secret fails loudly.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error('webhook secret is not valid base64');
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('webhook secret is empty');
  return key;
}
