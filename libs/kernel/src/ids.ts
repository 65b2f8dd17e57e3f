import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Time-ordered unique ids (ULID layout: 48-bit milliseconds + 80 random bits, Crockford base32,
 * lower case) behind a type prefix such as `tok_`. Sorting ids sorts by creation time.
 */
export function newId(prefix: 'tok' | 'ep' | 'evt' | 'dlv' | 'req', now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! & 31];
  return `${prefix}_${time}${rand}`;
}

/** True when `value` looks like an id of the given prefix; used to answer 404 early on garbage ids. */
export function isId(prefix: string, value: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(value);
}
