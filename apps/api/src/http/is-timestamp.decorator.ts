import { registerDecorator, type ValidationOptions } from 'class-validator';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Real calendar values only: Date would roll 2099-02-30 over into March instead of refusing it. */
function isTimestamp(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offH, offM] = [
    m[1],
    m[2],
    m[3],
    m[4],
    m[5],
    m[7] ?? '0',
    m[10] ?? '0',
    m[11] ?? '0',
  ].map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 60 &&
    offH! < 24 &&
    offM! < 60 &&
    Number.isFinite(Date.parse(value))
  );
}

/**
 * An RFC 3339 timestamp that JavaScript's Date can represent. Stricter than IsISO8601, which
 * accepts week dates and basic formats that `new Date()` cannot parse (they would become a 500).
 */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be an RFC 3339 timestamp such as 2027-01-01T00:00:00Z`,
        ...options,
      },
      validator: {
        validate: isTimestamp,
      },
    });
}
