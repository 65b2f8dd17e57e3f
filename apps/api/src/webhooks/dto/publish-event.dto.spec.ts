import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError } from '../../../../../libs/kernel/src/index.js';
import { createValidationPipe } from '../../http/validation.pipe.js';
import { PublishEventDto } from './publish-event.dto.js';

/** What class-validator, configured as the app's ValidationPipe, says about a body. */
async function reference(body: Record<string, unknown>): Promise<string[]> {
  const errors = await validate(plainToInstance(PublishEventDto, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`)).sort();
}

function hand(body: unknown): string[] {
  const r = PublishEventDto.parseBody(body);
  return r.ok ? [] : r.problems.map((p) => `${p.field}: ${p.message}`).sort();
}

const ok = { type: 'payment.succeeded', data: { amount: 1 } };

const bodies: [string, Record<string, unknown>][] = [
  ['a valid body', ok],
  ['with an idempotency key', { ...ok, idempotencyKey: 'order-1234-paid' }],
  ['with a null idempotency key', { ...ok, idempotencyKey: null }],
  ['with empty data', { ...ok, data: {} }],
  ['no type', { data: {} }],
  ['a numeric type', { ...ok, type: 5 }],
  ['an empty type', { ...ok, type: '' }],
  ['a type of 100 characters', { ...ok, type: 't'.repeat(100) }],
  ['a type of 101 characters', { ...ok, type: 't'.repeat(101) }],
  ['no data', { type: 'payment.succeeded' }],
  ['string data', { ...ok, data: 'not an object' }],
  ['array data', { ...ok, data: [1, 2] }],
  ['null data', { ...ok, data: null }],
  ['a numeric idempotency key', { ...ok, idempotencyKey: 5 }],
  ['an idempotency key with a space', { ...ok, idempotencyKey: 'a b' }],
  ['an empty idempotency key', { ...ok, idempotencyKey: '' }],
  ['an idempotency key of 201 characters', { ...ok, idempotencyKey: 'k'.repeat(201) }],
  ['a non-ASCII idempotency key', { ...ok, idempotencyKey: 'clé' }],
  ['an unknown field', { ...ok, extra: 1 }],
  ['everything wrong at once', { type: '', data: 1, idempotencyKey: ' ', extra: true, more: null }],
];

describe('PublishEventDto.parseBody (the publish route checks its body by hand)', () => {
  it.each(bodies)('says what class-validator says about %s', async (_name, body) => {
    expect(hand(body)).toEqual(await reference(body));
  });

  it('refuses a body that is not a JSON object', () => {
    for (const body of [null, [], [ok], 'text', 42])
      expect(hand(body)).toEqual(['body: the body must be a JSON object']);
  });

  it('hands over only the known fields, data as sent', () => {
    const data = { nested: { deep: [1, 'two'] } };
    const r = PublishEventDto.parseBody({ type: 'order.created', data, idempotencyKey: 'k1' });
    expect(r).toEqual({ ok: true, value: { type: 'order.created', data, idempotencyKey: 'k1' } });
    const r2 = PublishEventDto.parseBody({ type: 'order.created', data, idempotencyKey: null });
    expect(r2.ok && Object.keys(r2.value)).toEqual(['type', 'data']);
  });

  it('is what the app pipe uses: a bad body is the usual 400 with details naming the fields', async () => {
    const pipe = createValidationPipe();
    const meta = { type: 'body' as const, metatype: PublishEventDto, data: '' };
    await expect(pipe.transform({ ...ok }, meta)).resolves.toEqual(ok);
    const error = await pipe.transform({ type: 7, data: [] }, meta).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    const fields = ((error as DomainError).details as { field: string }[]).map((d) => d.field);
    expect([...new Set(fields)].sort()).toEqual(['data', 'type']);
    expect((error as DomainError).message).toBe('Invalid request: check type, data.');
  });
});
