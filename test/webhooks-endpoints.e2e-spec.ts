/**
 * Endpoint management and publishing over real HTTP: the endpoint routes and their answers,
 * publishing validation (unknown types, MAX_EVENT_PAYLOAD_BYTES), idempotency keys, and
 * cursor pagination of endpoints and the delivery log, including rows created in one millisecond.
 */
import { CLOCK, type Clock } from '../libs/kernel/src/index.js';
import { type Receiver, startReceiver, waitFor, WebhookClient } from '../libs/testing/src/receiver.js';
import { type RunningTestApp, startTestApp } from '../libs/testing/src/test-app.js';

const MAX_PAYLOAD = 4096;
const ENV = {
  WEBHOOK_DISPATCH_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_FACTOR: '2',
  WEBHOOK_MAX_ATTEMPTS: '3',
  MAX_EVENT_PAYLOAD_BYTES: String(MAX_PAYLOAD),
};
const ENDPOINT_KEYS = ['createdAt', 'description', 'events', 'id', 'status', 'updatedAt', 'url'];

type Res = { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

function expectError(res: Res, statusCode: number, error: string, field?: string): void {
  expect(res.status).toBe(statusCode);
  expect(res.body).toEqual(expect.objectContaining({ statusCode, error, message: expect.any(String) }));
  if (field !== undefined) expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
}

describe('webhook endpoints and publishing (e2e)', () => {
  let app: RunningTestApp;
  let receiver: Receiver;
  let workspaces = 0;
  const newClient = () => WebhookClient.create(app, `ws_endpoints_${++workspaces}`);

  beforeAll(async () => {
    app = await startTestApp(ENV);
    receiver = await startReceiver(200);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  describe('endpoint routes', () => {
    it('lists the event catalogue', async () => {
      const client = await newClient();
      const res = await client.api('GET', '/event-types');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.arrayContaining([{ type: 'payment.succeeded', description: expect.any(String) }]),
      );
      for (const entry of res.body) expect(Object.keys(entry).sort()).toEqual(['description', 'type']);
    });

    it('creates, reads, lists, updates and deletes an endpoint; the secret only on creation and GET …/secret', async () => {
      const client = await newClient();
      const created = await client.api('POST', '/endpoints', {
        url: receiver.url('/crud'),
        events: ['payment.succeeded', 'payment.failed', 'payment.succeeded'],
        description: 'Billing',
      });
      expect(created.status).toBe(201);
      expect(Object.keys(created.body).sort()).toEqual([...ENDPOINT_KEYS, 'secret'].sort());
      expect(created.body).toMatchObject({
        url: receiver.url('/crud'),
        events: ['payment.succeeded', 'payment.failed'],
        description: 'Billing',
        status: 'enabled',
      });
      expect(created.body.id).toMatch(/^ep_[0-9a-z]{26}$/);
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const id = created.body.id as string;

      const got = await client.api('GET', `/endpoints/${id}`);
      expect(got.status).toBe(200);
      expect(Object.keys(got.body).sort()).toEqual(ENDPOINT_KEYS);
      const list = await client.api('GET', '/endpoints');
      expect(list.body).toEqual({ data: [got.body], nextCursor: null });
      expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

      const secret = await client.api('GET', `/endpoints/${id}/secret`);
      expect(secret.status).toBe(200);
      expect(secret.body).toEqual({ secret: created.body.secret });

      const patched = await client.api('PATCH', `/endpoints/${id}`, {
        events: ['*'],
        description: 'Everything',
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id, events: ['*'], description: 'Everything', status: 'enabled' });
      expect(patched.body.updatedAt >= created.body.updatedAt).toBe(true);
      const disabled = await client.api('PATCH', `/endpoints/${id}`, { status: 'disabled' });
      expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'manual' });

      expectError(await client.api('PATCH', `/endpoints/${id}`, {}), 400, 'Bad Request');
      expectError(
        await client.api('PATCH', `/endpoints/${id}`, { events: ['payment.exploded'] }),
        400,
        'Bad Request',
        'events',
      );
      expectError(
        await client.api('PATCH', `/endpoints/${id}`, { status: 'paused' }),
        400,
        'Bad Request',
        'status',
      );

      expect((await client.api('DELETE', `/endpoints/${id}`)).status).toBe(204);
      expectError(await client.api('GET', `/endpoints/${id}`), 404, 'Not Found');
      expectError(await client.api('GET', `/endpoints/${id}/secret`), 404, 'Not Found');
      expectError(await client.api('DELETE', `/endpoints/${id}`), 404, 'Not Found');
      // Its key was destroyed with it: rotating, patching or testing a deleted endpoint is a 404, not a 500.
      expectError(await client.api('POST', `/endpoints/${id}/rotate-secret`, {}), 404, 'Not Found');
      expectError(await client.api('PATCH', `/endpoints/${id}`, { description: 'x' }), 404, 'Not Found');
      expectError(await client.api('POST', `/endpoints/${id}/test`, {}), 404, 'Not Found');
      expect((await client.api('GET', '/endpoints')).body.data).toEqual([]);
    });

    it.each<[string, Record<string, unknown>, number, string | undefined]>([
      ['an unknown event type', { url: 'http://127.0.0.1:9/x', events: ['payment.exploded'] }, 400, 'events'],
      ['no events', { url: 'http://127.0.0.1:9/x', events: [] }, 400, 'events'],
      ['a missing url', { events: ['*'] }, 400, 'url'],
      ['a url that is not a URL', { url: 'not a url', events: ['*'] }, 400, 'url'],
      [
        'an unknown field',
        { url: 'http://127.0.0.1:9/x', events: ['*'], secret: 'whsec_mine' },
        400,
        'secret',
      ],
      ['a non-http scheme', { url: 'ftp://127.0.0.1/x', events: ['*'] }, 422, undefined],
      ['credentials in the url', { url: 'http://user:pass@127.0.0.1:9/x', events: ['*'] }, 422, undefined],
    ])('refuses %s', async (_label, body, status, field) => {
      const client = await newClient();
      const res = await client.api('POST', '/endpoints', body);
      expectError(res, status, status === 400 ? 'Bad Request' : 'Unprocessable Entity', field);
      expect((await client.api('GET', '/endpoints')).body.data).toEqual([]);
    });

    it('answers 404 for ids that do not exist or are malformed', async () => {
      const client = await newClient();
      for (const id of ['ep_00000000000000000000000000', 'garbage', 'dlv_00000000000000000000000000']) {
        expectError(await client.api('GET', `/endpoints/${id}`), 404, 'Not Found');
      }
      expectError(await client.api('GET', '/deliveries/dlv_00000000000000000000000000'), 404, 'Not Found');
      expectError(await client.api('GET', '/deliveries/garbage'), 404, 'Not Found');
      expectError(
        await client.api('POST', '/deliveries/dlv_00000000000000000000000000/retry'),
        404,
        'Not Found',
      );
    });
  });

  describe('publishing', () => {
    it('answers 400 for an unknown event type (and for webhook.test, which only the test route sends)', async () => {
      const client = await newClient();
      expectError(await client.publishRaw('payment.exploded', { a: 1 }), 400, 'Bad Request', 'type');
      expectError(await client.publishRaw('webhook.test', { a: 1 }), 400, 'Bad Request', 'type');
      expectError(await client.publishRaw('payment.succeeded', 'not an object'), 400, 'Bad Request', 'data');
    });

    it('answers 413 over MAX_EVENT_PAYLOAD_BYTES, counting UTF-8 bytes, and accepts exactly the limit', async () => {
      const client = await newClient();
      // {"p":"…"} is 8 bytes of JSON around the value; 😀 is 4 bytes in UTF-8 (2 UTF-16 units).
      const emoji = '😀'.repeat((MAX_PAYLOAD - 8) / 4);
      const atLimit = await client.publishRaw('order.created', { p: emoji });
      expect(atLimit.status).toBe(202);
      expectError(await client.publishRaw('order.created', { p: `${emoji}x` }), 413, 'Payload Too Large');
      // Under the limit in characters, over it in bytes.
      const chars = '€'.repeat(MAX_PAYLOAD / 2); // 3 bytes each
      expect(JSON.stringify({ p: chars }).length).toBeLessThan(MAX_PAYLOAD + 8 + 1);
      expectError(await client.publishRaw('order.created', { p: chars }), 413, 'Payload Too Large');
      // A body far beyond any limit is refused by the body parser with the same shape.
      expectError(
        await client.publishRaw('order.created', { p: 'x'.repeat(200_000) }),
        413,
        'Payload Too Large',
      );
    });

    it('answers with delivery ids that can be read at once (read-your-writes), for publishes and test sends', async () => {
      const client = await newClient();
      const eps = [
        await client.createEndpoint(receiver.url('/ryw-a'), ['order.created']),
        await client.createEndpoint(receiver.url('/ryw-b'), ['*']),
      ];
      // Side by side, so the service is busy when each answer comes back, and each id is read at once.
      const statuses = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const published = await client.publish('order.created', { i });
          const test = await client.api('POST', `/endpoints/${eps[i % 2]!.id}/test`, {});
          const ids = [...published.deliveryIds, test.body.deliveryId as string];
          return Promise.all(ids.map(async (id) => (await client.api('GET', `/deliveries/${id}`)).status));
        }),
      );
      expect(statuses.flat()).toEqual(Array.from({ length: 60 }, () => 200));
    });

    it('returns the first answer for a repeated idempotency key and delivers once; without a key, twice', async () => {
      const client = await newClient();
      const ep = await client.createEndpoint(receiver.url('/idem'), ['order.created']);

      const first = await client.publish('order.created', { orderId: 'ord_1' }, 'order-1-created');
      expect(first.deliveryIds).toHaveLength(1);
      const again = await client.publish(
        'order.created',
        { orderId: 'ord_1', changed: true },
        'order-1-created',
      );
      expect(again).toEqual(first);

      // Two concurrent publishes with one new key: one event between them.
      const [c1, c2] = await Promise.all([
        client.publish('order.created', { orderId: 'ord_2' }, 'order-2-created'),
        client.publish('order.created', { orderId: 'ord_2' }, 'order-2-created'),
      ]);
      expect(c1).toEqual(c2);

      // The same key in another workspace is another event.
      const other = await newClient();
      const foreign = await other.publish('order.created', { orderId: 'ord_1' }, 'order-1-created');
      expect(foreign.eventId).not.toBe(first.eventId);

      // Without a key, the same data twice is two events and two deliveries.
      const n1 = await client.publish('order.created', { orderId: 'ord_3' });
      const n2 = await client.publish('order.created', { orderId: 'ord_3' });
      expect(n1.eventId).not.toBe(n2.eventId);
      expect(n1.deliveryIds[0]).not.toBe(n2.deliveryIds[0]);

      // Deliveries are made in order, so once the last one arrived every earlier one has too.
      const expected = [first.deliveryIds[0], c1.deliveryIds[0], n1.deliveryIds[0], n2.deliveryIds[0]];
      for (const id of expected) await client.waitForDelivery(id!, (d) => d.status === 'succeeded');
      const got = receiver.received('/idem');
      expect(got.map((r) => r.headers['x-webhook-delivery']).sort()).toEqual([...expected].sort());
      expect(got.filter((r) => r.json.data.orderId === 'ord_1')).toHaveLength(1);
      expect(got.find((r) => r.json.data.orderId === 'ord_1')!.json.data).toEqual({ orderId: 'ord_1' });
      expect((await client.allDeliveries(ep.id)).map((d) => d.id).sort()).toEqual([...expected].sort());
    });
  });

  describe('pagination', () => {
    it('answers 400 for a bad cursor or limit', async () => {
      const client = await newClient();
      const ep = await client.createEndpoint(receiver.url('/cursor'), ['order.created']);
      const wrongShape = Buffer.from(JSON.stringify({ t: 'x' })).toString('base64url');
      for (const cursor of ['garbage!', 'bm90LWpzb24', wrongShape]) {
        expectError(
          await client.api('GET', `/endpoints/${ep.id}/deliveries?cursor=${cursor}`),
          400,
          'Bad Request',
          'cursor',
        );
        expectError(await client.api('GET', `/endpoints?cursor=${cursor}`), 400, 'Bad Request', 'cursor');
      }
      for (const limit of ['0', '201', 'ten']) {
        expectError(
          await client.api('GET', `/endpoints/${ep.id}/deliveries?limit=${limit}`),
          400,
          'Bad Request',
          'limit',
        );
      }
    });

    it('pages endpoints and the delivery log without repeats or gaps, even for rows created in the same millisecond', async () => {
      const client = await newClient();
      const clock = app.app.get<Clock>(CLOCK);
      const realNow = clock.now;
      const frozen = realNow.call(clock).getTime();
      const endpointIds: string[] = [];
      let ep!: { id: string };
      const published: string[] = [];
      clock.now = () => new Date(frozen);
      try {
        for (let i = 0; i < 5; i++) {
          const e = await client.createEndpoint(
            receiver.url('/pages'),
            i === 0 ? ['order.created'] : ['lead.created'],
          );
          endpointIds.push(e.id);
          if (i === 0) ep = e;
        }
        for (let i = 0; i < 9; i++)
          published.push(...(await client.publish('order.created', { orderId: `ord_p${i}` })).deliveryIds);
        // Delivery rows are written by the saga: keep the clock frozen until all nine exist.
        await waitFor(async () => (await client.allDeliveries(ep.id)).length === 9);
      } finally {
        clock.now = realNow;
      }
      expect(published).toHaveLength(9);

      const walk = async (path: string, limit: number) => {
        const pages: Array<Array<{ id: string; createdAt: string }>> = [];
        let cursor: string | null = null;
        do {
          const sep = path.includes('?') ? '&' : '?';
          const res = await client.api(
            'GET',
            `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          );
          expect(res.status).toBe(200);
          pages.push(res.body.data);
          cursor = res.body.nextCursor;
          expect(pages.length).toBeLessThan(20);
        } while (cursor);
        return pages;
      };

      const deliveryPages = await walk(`/endpoints/${ep.id}/deliveries`, 2);
      expect(deliveryPages.map((p) => p.length)).toEqual([2, 2, 2, 2, 1]);
      const rows = deliveryPages.flat();
      expect(new Set(rows.map((d) => d.createdAt))).toEqual(new Set([new Date(frozen).toISOString()]));
      const ids = rows.map((d) => d.id);
      expect(new Set(ids).size).toBe(9);
      expect([...ids].sort()).toEqual([...published].sort());
      expect(ids).toEqual([...ids].sort().reverse()); // ties broken by id, newest first

      for (const limit of [1, 3, 4, 8, 9, 10]) {
        expect((await walk(`/endpoints/${ep.id}/deliveries`, limit)).flat().map((d) => d.id)).toEqual(ids);
      }
      // The filtered log pages the same way.
      expect(
        (await walk(`/endpoints/${ep.id}/deliveries?eventType=order.created`, 4)).flat().map((d) => d.id),
      ).toEqual(ids);

      const endpointPages = await walk('/endpoints', 2);
      expect(endpointPages.map((p) => p.length)).toEqual([2, 2, 1]);
      const listed = endpointPages.flat();
      expect(new Set(listed.map((e) => e.createdAt)).size).toBe(1);
      expect(listed.map((e) => e.id).sort()).toEqual([...endpointIds].sort());
    });
  });
});
