import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '../../../../libs/kernel/src/index.js';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A body DTO of a hot route that checks its own shape by hand, with the rules and messages its
 * class-validator twin would have: class-transformer and class-validator cost ~100 µs per request
 * (`bench:deliveries` profile of the publish route). Its class-validator decorators stay as the reference
 * a parity test holds the hand check to.
 */
export interface SelfValidatingBody<T> {
  parseBody(body: unknown): { ok: true; value: T } | { ok: false; problems: FieldProblem[] };
}

function invalid(details: FieldProblem[]): DomainError {
  const fields = [...new Set(details.map((d) => d.field))];
  return new DomainError(
    'invalid',
    `Invalid request: check ${fields.join(', ')}.`,
    'validation_failed',
    details,
  );
}

class AppValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype as Partial<SelfValidatingBody<unknown>> | undefined;
    if (metadata.type !== 'body' || typeof dto?.parseBody !== 'function')
      return super.transform(value, metadata);
    const parsed = dto.parseBody(value);
    return parsed.ok ? Promise.resolve(parsed.value) : Promise.reject(invalid(parsed.problems));
  }
}

/** DTO validation: unknown fields are refused, and the 400's `details` name every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => invalid(flatten(errors)),
  });
}
