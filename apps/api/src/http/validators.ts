import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Query integers in plain decimal only: `0x10`, `1e3` or `16.0` are refused rather than reinterpreted. */
export const ToInt = () =>
  Transform(({ value }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value)
      ? Number(value)
      : typeof value === 'number'
        ? value
        : NaN,
  );

const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;

/** Display text (names, descriptions): no control or format characters (NUL, RTL overrides), no lone surrogates, not blank. */
export function IsDisplayText(options?: ValidationOptions & { allowEmpty?: boolean }): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDisplayText',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be visible text without control characters`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          !UNSAFE.test(value) &&
          (value.trim().length > 0 || (options?.allowEmpty === true && value === '')),
      },
    });
}
