import { generateWebhookSecret, secretKeyBytes } from './webhook-secret.js';

describe('generateWebhookSecret', () => {
  it('is whsec_ followed by base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKeyBytes(secret)).toHaveLength(32);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 200 }, () => generateWebhookSecret()));
    expect(secrets.size).toBe(200);
  });
});

describe('secretKeyBytes', () => {
  it('decodes the part after whsec_', () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    expect(secretKeyBytes(`whsec_${key.toString('base64')}`).equals(key)).toBe(true);
  });

  it('refuses secrets without the prefix, empty ones and non-base64 ones', () => {
    expect(() => secretKeyBytes('c2VjcmV0')).toThrow(/whsec_/);
    expect(() => secretKeyBytes('whsec_')).toThrow(/base64|empty/);
    expect(() => secretKeyBytes('whsec_not base64!')).toThrow(/base64/);
  });
});
