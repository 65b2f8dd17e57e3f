/** Backoff settings, from WEBHOOK_MAX_ATTEMPTS, _RETRY_BASE_MS, _RETRY_FACTOR, _RETRY_MAX_DELAY_MS. */
export interface RetrySettings {
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Delay before the 2nd attempt. */
  baseMs: number;
  /** Growth of each later delay. */
  factor: number;
  /** Cap on one delay. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  maxAttempts: 8,
  baseMs: 30_000,
  factor: 4,
  maxDelayMs: 36_000_000,
};

/** ±20 %: spreads retries of deliveries that failed together (one subscriber outage) apart. */
export const RETRY_JITTER = 0.2;

/**
 * Wait before the attempt after `attemptJustMade` (1-based): `baseMs × factor^(n−1)`, jittered by
 * ±20 %, never above `maxDelayMs`. The cap is applied before the jitter as well as after, so
 * delays at the cap still spread out (between 80 % and 100 % of it) instead of all landing together.
 * A `Retry-After` from the subscriber can lengthen the wait, never shorten it, and never past the cap.
 */
export function retryDelayMs(
  attemptJustMade: number,
  settings: RetrySettings,
  random: () => number = Math.random,
  retryAfterMs?: number | null,
): number {
  if (!Number.isSafeInteger(attemptJustMade) || attemptJustMade < 1) {
    throw new RangeError('attemptJustMade must be a positive integer');
  }
  const exponential = settings.baseMs * settings.factor ** (attemptJustMade - 1);
  const r = Math.min(Math.max(random(), 0), 1);
  const jittered = Math.min(exponential, settings.maxDelayMs) * (1 + RETRY_JITTER * (2 * r - 1));
  let delay = Math.min(jittered, settings.maxDelayMs);
  if (retryAfterMs !== undefined && retryAfterMs !== null && !Number.isNaN(retryAfterMs)) {
    delay = Math.min(Math.max(delay, retryAfterMs), settings.maxDelayMs);
  }
  return Math.round(delay);
}

/** Whether another attempt may follow the one just made. */
export function hasAttemptsLeft(attemptJustMade: number, settings: RetrySettings): boolean {
  return attemptJustMade < settings.maxAttempts;
}
