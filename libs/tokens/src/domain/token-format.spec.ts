import { createHash } from 'node:crypto';
import {
  generateToken,
  hashToken,
  isWellFormedToken,
  tokenChecksum,
  tokenDisplayPrefix,
} from './token-format.js';

describe('token format', () => {
  it('is wm_ + 30 base62 characters + a 6-character checksum', () => {
    const token = generateToken();
    expect(token).toMatch(/^wm_[0-9A-Za-z]{36}$/);
    expect(token.slice(-6)).toBe(tokenChecksum(token.slice(3, 33)));
    expect(isWellFormedToken(token)).toBe(true);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 2000 }, generateToken));
    expect(tokens.size).toBe(2000);
  });

  it('rejects a single-character typo without a lookup', () => {
    const token = generateToken();
    const i = 10;
    const typo = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
    expect(isWellFormedToken(typo)).toBe(false);
  });

  it('rejects wrong prefix, length and alphabet', () => {
    const token = generateToken();
    expect(isWellFormedToken('xx_' + token.slice(3))).toBe(false);
    expect(isWellFormedToken(token + 'A')).toBe(false);
    expect(isWellFormedToken(token.slice(0, -1))).toBe(false);
    expect(isWellFormedToken(token.slice(0, 20) + '-' + token.slice(21))).toBe(false);
    expect(isWellFormedToken('')).toBe(false);
  });

  it('checksum is the base62 CRC32 of the random part, zero-padded to 6', () => {
    expect(tokenChecksum('')).toBe('000000');
    expect(tokenChecksum('abc')).toMatch(/^[0-9A-Za-z]{6}$/);
    expect(tokenChecksum('abc')).not.toBe(tokenChecksum('abd'));
  });

  it('hashes with SHA-256 hex and shows a short display prefix', () => {
    const token = generateToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenDisplayPrefix(token)).toBe(token.slice(0, 7));
  });
});
