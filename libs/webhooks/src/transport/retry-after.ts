/**
 * Parses a `Retry-After` value (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Returns the
 * wait in milliseconds (never negative), or null when the value is absent or unreadable.
 */
export function parseRetryAfterMs(
  value: string | undefined | null,
  nowMs: number = Date.now(),
): number | null {
  if (value === undefined || value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : null;
  }
  // Only date-looking values: Date.parse is lenient enough to read "1.5" or "-3" as a date.
  if (!/^[A-Za-z]{3,9},? /.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
