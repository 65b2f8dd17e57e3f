import { randomBytes } from 'node:crypto';
import { SecretCipher } from './secret-cipher.js';

describe('SecretCipher', () => {
  const key = randomBytes(32);
  const cipher = new SecretCipher(key);
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('round-trips, with and without associated data', () => {
    expect(cipher.decrypt(cipher.encrypt(secret))).toBe(secret);
    expect(cipher.decrypt(cipher.encrypt(secret, 'ep_1'), 'ep_1')).toBe(secret);
    expect(cipher.decrypt(cipher.encrypt('ünïcødé 🔑'))).toBe('ünïcødé 🔑');
  });

  it('produces v1.<iv>.<tag>.<ciphertext> in base64url, with a fresh IV each time', () => {
    const a = cipher.encrypt(secret);
    const b = cipher.encrypt(secret);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(a).not.toContain(Buffer.from(secret).toString('base64url'));
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const [v, iv, tag, ct] = cipher.encrypt(secret).split('.') as [string, string, string, string];
    const flip = (part: string): string => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64url');
    };
    expect(() => cipher.decrypt([v, iv, tag, flip(ct)].join('.'))).toThrow(/failed authentication/);
    expect(() => cipher.decrypt([v, iv, flip(tag), ct].join('.'))).toThrow(/failed authentication/);
    expect(() => cipher.decrypt([v, flip(iv), tag, ct].join('.'))).toThrow(/failed authentication/);
  });

  it('refuses the wrong key and the wrong associated data', () => {
    const blob = cipher.encrypt(secret, 'ep_1');
    expect(() => new SecretCipher(randomBytes(32)).decrypt(blob, 'ep_1')).toThrow(/failed authentication/);
    expect(() => cipher.decrypt(blob, 'ep_2')).toThrow(/failed authentication/);
    expect(() => cipher.decrypt(blob)).toThrow(/failed authentication/);
  });

  it('refuses malformed blobs and keys that are not 32 bytes', () => {
    expect(() => cipher.decrypt('plaintext')).toThrow(/unknown format/);
    expect(() => cipher.decrypt('v2.a.b.c')).toThrow(/unknown format/);
    expect(() => cipher.decrypt('v1.AAAA.AAAA.AAAA')).toThrow(/malformed/);
    expect(() => new SecretCipher(randomBytes(16))).toThrow(/32-byte/);
  });

  it('builds from a base64 key as configured in DATA_ENCRYPTION_KEY', () => {
    const fromConfig = SecretCipher.fromBase64Key(key.toString('base64'));
    expect(fromConfig.decrypt(cipher.encrypt(secret))).toBe(secret);
  });
});
