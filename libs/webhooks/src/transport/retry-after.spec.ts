import { parseRetryAfterMs } from './retry-after.js';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfterMs('Sun, 01 Jun 2025 12:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfterMs('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });

  it.each([[undefined], [null], [''], ['soon'], ['-5'], ['1.5'], ['12abc'], ['Sun, 99 Foo 2025']])(
    'ignores %p',
    (value) => {
      expect(parseRetryAfterMs(value, now)).toBeNull();
    },
  );
});
