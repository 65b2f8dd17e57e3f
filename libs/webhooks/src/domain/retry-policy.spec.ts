import { DEFAULT_RETRY_SETTINGS, hasAttemptsLeft, retryDelayMs, type RetrySettings } from './retry-policy.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const middle = (): number => 0.5; // no jitter
const lowest = (): number => 0;
const highest = (): number => 0.999999;

describe('retryDelayMs', () => {
  it('has the contract defaults', () => {
    expect(DEFAULT_RETRY_SETTINGS).toEqual({
      maxAttempts: 8,
      baseMs: 30_000,
      factor: 4,
      maxDelayMs: 36_000_000,
    });
  });

  it('follows the contract schedule: 30 s, 2 m, 8 m, 32 m, 2 h 8 m, 8 h 32 m, then the 10 h cap', () => {
    const schedule = [
      30 * SECOND,
      2 * MINUTE,
      8 * MINUTE,
      32 * MINUTE,
      2 * HOUR + 8 * MINUTE,
      8 * HOUR + 32 * MINUTE,
    ];
    schedule.forEach((expected, index) => {
      expect(retryDelayMs(index + 1, DEFAULT_RETRY_SETTINGS, middle)).toBe(expected);
      const random = Math.random;
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(index + 1, DEFAULT_RETRY_SETTINGS, random);
        expect(delay).toBeGreaterThanOrEqual(expected * 0.8);
        expect(delay).toBeLessThanOrEqual(Math.min(expected * 1.2, 10 * HOUR));
      }
    });
    expect(retryDelayMs(7, DEFAULT_RETRY_SETTINGS, middle)).toBe(10 * HOUR);
    // 8 attempts means 7 waits; together about 21 hours as the contract says.
    const total = [1, 2, 3, 4, 5, 6, 7].reduce(
      (sum, n) => sum + retryDelayMs(n, DEFAULT_RETRY_SETTINGS, middle),
      0,
    );
    expect(total / HOUR).toBeCloseTo(21.375, 3); // 11 h 22.5 m of growing waits + 10 h
  });

  it('jitters by at most ±20 %', () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_SETTINGS, lowest)).toBe(24 * SECOND);
    expect(retryDelayMs(1, DEFAULT_RETRY_SETTINGS, highest)).toBe(36 * SECOND);
    expect(retryDelayMs(3, DEFAULT_RETRY_SETTINGS, lowest)).toBe(0.8 * 8 * MINUTE);
    expect(retryDelayMs(3, DEFAULT_RETRY_SETTINGS, highest)).toBe(1.2 * 8 * MINUTE);
  });

  it('never exceeds the cap, yet still spreads delays at the cap', () => {
    expect(retryDelayMs(6, DEFAULT_RETRY_SETTINGS, highest)).toBe(10 * HOUR); // 8 h 32 m × 1.2 > 10 h
    expect(retryDelayMs(7, DEFAULT_RETRY_SETTINGS, highest)).toBe(10 * HOUR);
    expect(retryDelayMs(7, DEFAULT_RETRY_SETTINGS, lowest)).toBe(8 * HOUR);
    expect(retryDelayMs(40, DEFAULT_RETRY_SETTINGS, highest)).toBe(10 * HOUR); // no overflow to Infinity/NaN
  });

  it('lets Retry-After lengthen the wait but never shorten it', () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_SETTINGS, middle, 5 * MINUTE)).toBe(5 * MINUTE);
    expect(retryDelayMs(3, DEFAULT_RETRY_SETTINGS, middle, 10 * SECOND)).toBe(8 * MINUTE);
    expect(retryDelayMs(3, DEFAULT_RETRY_SETTINGS, middle, 0)).toBe(8 * MINUTE);
    expect(retryDelayMs(3, DEFAULT_RETRY_SETTINGS, middle, null)).toBe(8 * MINUTE);
  });

  it('never lets Retry-After push the wait past the cap', () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_SETTINGS, middle, 48 * HOUR)).toBe(10 * HOUR);
    expect(retryDelayMs(1, DEFAULT_RETRY_SETTINGS, middle, Number.POSITIVE_INFINITY)).toBe(10 * HOUR);
    expect(retryDelayMs(1, DEFAULT_RETRY_SETTINGS, middle, Number.NaN)).toBe(30 * SECOND);
  });

  it('honours custom settings', () => {
    const settings: RetrySettings = { maxAttempts: 3, baseMs: 1_000, factor: 2, maxDelayMs: 3_000 };
    expect([1, 2, 3].map((n) => retryDelayMs(n, settings, middle))).toEqual([1_000, 2_000, 3_000]);
  });

  it('refuses an attempt number below 1', () => {
    expect(() => retryDelayMs(0, DEFAULT_RETRY_SETTINGS)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5, DEFAULT_RETRY_SETTINGS)).toThrow(RangeError);
  });
});

describe('hasAttemptsLeft', () => {
  it('allows maxAttempts attempts in all, the first included', () => {
    expect(hasAttemptsLeft(1, DEFAULT_RETRY_SETTINGS)).toBe(true);
    expect(hasAttemptsLeft(7, DEFAULT_RETRY_SETTINGS)).toBe(true);
    expect(hasAttemptsLeft(8, DEFAULT_RETRY_SETTINGS)).toBe(false);
    expect(hasAttemptsLeft(9, DEFAULT_RETRY_SETTINGS)).toBe(false);
  });
});
