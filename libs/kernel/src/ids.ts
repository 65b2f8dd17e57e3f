import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

// Random bytes are drawn from the CSPRNG in blocks: a 16-byte randomBytes() per id cost more
// than the rest of newId (several ids are made per published event).
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

function random16(): Buffer {
  if (poolOffset + 16 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const bytes = POOL.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

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
  const bytes = random16();
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! & 31];
  return `${prefix}_${time}${rand}`;
}

/** True when `value` looks like an id of the given prefix; used to answer 404 early on garbage ids. */
export function isId(prefix: string, value: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(value);
}
