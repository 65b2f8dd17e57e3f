import { createHash, randomInt } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const TOKEN_PREFIX = 'wm_';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
const TOKEN_PATTERN = /^wm_[0-9A-Za-z]{36}$/;

function base62(value: number, width: number): string {
  let out = '';
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** CRC32 of the random part, base62, 6 characters: GitHub's scheme, so typos fail without a lookup. */
export function tokenChecksum(randomPart: string): string {
  return base62(crc32(randomPart), CHECKSUM_LENGTH);
}

/** `wm_` + 30 random base62 characters (≈178 bits) + 6-character checksum. */
export function generateToken(): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62[randomInt(62)];
  return TOKEN_PREFIX + random + tokenChecksum(random);
}

/** The number a base62 string stands for (`s` holds base62 digits only). */
function base62Value(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    v = v * 62 + (c <= 57 ? c - 48 : c <= 90 ? c - 55 : c - 61);
  }
  return v;
}

/**
 * Shape and checksum only; says nothing about whether the token exists. The checksum is compared
 * as a number (its digits decoded) rather than re-encoded as a string: this runs on every request.
 */
export function isWellFormedToken(token: string): boolean {
  if (token.length !== TOKEN_LENGTH || !TOKEN_PATTERN.test(token)) return false;
  const random = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + RANDOM_LENGTH);
  return crc32(random) === base62Value(token, TOKEN_PREFIX.length + RANDOM_LENGTH, TOKEN_LENGTH);
}

/** The only form in which a token is kept: SHA-256, hex. High-entropy input needs no salt or slow hash. */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string })
  .hash;

export function hashToken(token: string): string {
  // crypto.hash (Node ≥ 20.12) is the one-shot form: same digest, a third of the cost on the auth path.
  if (oneShotHash) return oneShotHash('sha256', token, 'hex');
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What lists show so users can tell tokens apart: `wm_` + the first 4 random characters. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 4);
}
