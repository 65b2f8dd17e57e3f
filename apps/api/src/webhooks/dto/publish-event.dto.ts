import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FieldProblem, SelfValidatingBody } from '../../http/validation.pipe.js';

const TYPE_MAX = 100;
const KEY_MAX = 200;
const PRINTABLE = /^[\x21-\x7e]+$/;
const KEY_MESSAGE = 'idempotencyKey must be printable ASCII without spaces';
const FIELDS = new Set(['type', 'data', 'idempotencyKey']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The publish body. The hottest route checks it by hand (`parseBody`, see SelfValidatingBody); the
 * class-validator decorators are the reference it is tested against (publish-event.dto.spec.ts).
 */
export class PublishEventDto {
  @ApiProperty({ example: 'payment.succeeded' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TYPE_MAX)
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { paymentId: 'pay_1', amount: 4200, currency: 'EUR' },
  })
  @IsObject()
  data!: Record<string, unknown>;

  @ApiPropertyOptional({
    example: 'order-1234-paid',
    description: 'Same key within 24 h: the first answer again, nothing new delivered.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(KEY_MAX)
  @Matches(PRINTABLE, { message: KEY_MESSAGE })
  idempotencyKey?: string;

  static parseBody(body: unknown): ReturnType<SelfValidatingBody<PublishEventDto>['parseBody']> {
    if (!isObject(body))
      return { ok: false, problems: [{ field: 'body', message: 'the body must be a JSON object' }] };
    const problems: FieldProblem[] = [];
    for (const key of Object.keys(body))
      if (!FIELDS.has(key)) problems.push({ field: key, message: `property ${key} should not exist` });
    const { type, data, idempotencyKey } = body;
    // Each rule on its own, as class-validator checks them: a number fails IsString AND MaxLength.
    const rule = (field: string, holds: boolean, message: string) => {
      if (!holds) problems.push({ field, message });
    };
    rule('type', typeof type === 'string', 'type must be a string');
    rule('type', type !== '' && type !== null && type !== undefined, 'type should not be empty');
    rule(
      'type',
      typeof type === 'string' && type.length <= TYPE_MAX,
      `type must be shorter than or equal to ${TYPE_MAX} characters`,
    );
    rule('data', isObject(data), 'data must be an object');
    if (idempotencyKey !== undefined && idempotencyKey !== null) {
      const key = idempotencyKey;
      rule('idempotencyKey', typeof key === 'string', 'idempotencyKey must be a string');
      rule(
        'idempotencyKey',
        typeof key === 'string' && key.length <= KEY_MAX,
        `idempotencyKey must be shorter than or equal to ${KEY_MAX} characters`,
      );
      rule('idempotencyKey', typeof key === 'string' && PRINTABLE.test(key), KEY_MESSAGE);
    }
    if (problems.length > 0) return { ok: false, problems };
    const value = Object.assign(new PublishEventDto(), {
      type: type as string,
      data: data as Record<string, unknown>,
    });
    if (typeof idempotencyKey === 'string') value.idempotencyKey = idempotencyKey;
    return { ok: true, value };
  }
}

export class PublishedDto {
  @ApiProperty({ example: 'evt_01jf3k9v6x8q2m4n5p7r9s0t1u' }) eventId!: string;
  @ApiProperty({ example: ['dlv_01jf3k9v6x8q2m4n5p7r9s0t1u'] }) deliveryIds!: string[];
}
