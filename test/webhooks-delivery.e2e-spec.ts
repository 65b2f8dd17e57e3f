/**
 * Delivery behaviour end to end against a real local receiver: retries with growing backoff and
 * the delivery log, exhaustion, timeouts, redirects, 410 Gone, test deliveries, who gets nothing
 * (unsubscribed, disabled, deleted endpoints), manual retry and a 50-endpoint fan-out.
 * Retry timings are shrunk to milliseconds through the environment.
 */
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import {
  type ReceivedRequest,
  type Receiver,
  sequence,
  sleep,
  startReceiver,
  waitFor,
  WebhookClient,
} from '../libs/testing/src/receiver.js';
import { type RunningTestApp, startTestApp } from '../libs/testing/src/test-app.js';

const ENV = {
  WEBHOOK_DISPATCH_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_RETRY_FACTOR: '3',
  WEBHOOK_MAX_ATTEMPTS: '3',
};

/** The contract's attempt object. */
interface Attempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  error: string | null;
}

function standardVerifies(secret: string, req: ReceivedRequest): boolean {
  try {
    new Webhook(secret).verify(req.rawBody, {
      'webhook-id': req.headers['webhook-id']!,
      'webhook-timestamp': req.headers['webhook-timestamp']!,
      'webhook-signature': req.headers['webhook-signature']!,
    });
    return true;
  } catch {
    return false;
  }
}

async function expectSignedBy(secret: string, req: ReceivedRequest): Promise<void> {
  await expect(verifyGithub(secret, req.text, req.headers['x-signature-256']!)).resolves.toBe(true);
  expect(standardVerifies(secret, req)).toBe(true);
}

describe('webhook delivery (e2e)', () => {
  let app: RunningTestApp;
  let receiver: Receiver;
  let client: WebhookClient;
  let paths = 0;

  beforeAll(async () => {
    app = await startTestApp(ENV);
    receiver = await startReceiver(200);
  });

  // Each test in a workspace of its own, so an event reaches only that test's endpoints.
  let workspaces = 0;
  beforeEach(async () => {
    client = await WebhookClient.create(app, `ws_delivery_${++workspaces}`);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  /** A fresh endpoint on its own receiver path, answering as `respond` says. */
  async function endpoint(respond: Parameters<Receiver['respond']>[0] = 200, events: string[] = ['*']) {
    const path = `/ep-${++paths}`;
    receiver.respond(respond, path);
    const ep = await client.createEndpoint(receiver.url(path), events);
    return { id: ep.id as string, secret: ep.secret as string, path };
  }

  it('retries 500, 500, 200 with growing gaps, the same delivery id and attempt numbers 1, 2, 3', async () => {
    const ep = await endpoint(
      sequence(
        { status: 500, body: 'boom 1' },
        { status: 500, body: 'boom 2' },
        { status: 200, body: 'thanks' },
      ),
    );
    const { eventId, deliveryIds } = await client.publish('payment.succeeded', {
      paymentId: 'pay_retry',
      amount: 1,
    });
    const [deliveryId] = deliveryIds;

    const reqs = await receiver.waitForRequests(3, { path: ep.path });
    const d = await client.waitForDelivery(deliveryId!);

    expect(reqs.map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(reqs.map((r) => r.headers['x-webhook-delivery']))).toEqual(new Set([deliveryId]));
    expect(new Set(reqs.map((r) => r.headers['webhook-id']))).toEqual(new Set([deliveryId]));
    // Same bytes every time, freshly signed every time.
    expect(new Set(reqs.map((r) => r.text)).size).toBe(1);
    for (const r of reqs) await expectSignedBy(ep.secret, r);

    // Backoff: base 200 ms ±20 %, then ×3 (600 ms ±20 %).
    const gap1 = reqs[1]!.receivedAt - reqs[0]!.receivedAt;
    const gap2 = reqs[2]!.receivedAt - reqs[1]!.receivedAt;
    expect(gap1).toBeGreaterThanOrEqual(150);
    expect(gap2).toBeGreaterThanOrEqual(450);
    expect(gap2).toBeGreaterThan(gap1);

    // The log: GET /deliveries/{id} with every attempt.
    expect(d).toMatchObject({
      id: deliveryId,
      endpointId: ep.id,
      eventId,
      eventType: 'payment.succeeded',
      status: 'succeeded',
      attemptCount: 3,
      nextAttemptAt: null,
    });
    expect(d.createdAt <= d.updatedAt).toBe(true);
    expect(d.attempts).toHaveLength(3);
    expect(d.attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3]);
    expect(d.attempts.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 500, 200]);
    expect(d.attempts.map((a: { responseBody: string }) => a.responseBody)).toEqual([
      'boom 1',
      'boom 2',
      'thanks',
    ]);
    expect(d.attempts.map((a: { error: string | null }) => a.error)).toEqual([null, null, null]);
    for (const [i, a] of (d.attempts as Attempt[]).entries()) {
      expect(Object.keys(a).sort()).toEqual(
        [
          'attempt',
          'durationMs',
          'error',
          'requestHeaders',
          'responseBody',
          'responseBodyTruncated',
          'responseHeaders',
          'responseStatus',
          'startedAt',
        ].sort(),
      );
      expect(a.durationMs).toEqual(expect.any(Number));
      expect(a.responseBodyTruncated).toBe(false);
      expect(a.responseHeaders?.['content-type']).toBe('text/plain');
      expect(a.requestHeaders['X-Webhook-Attempt']).toBe(String(i + 1));
      expect(a.requestHeaders['X-Webhook-Delivery']).toBe(deliveryId);
      expect(a.requestHeaders['X-Signature-256']).toBe(reqs[i]!.headers['x-signature-256']);
    }
    const started = d.attempts.map((a: { startedAt: string }) => Date.parse(a.startedAt));
    expect(started[2] - started[1]).toBeGreaterThan(started[1] - started[0]);

    // And the endpoint's delivery list shows it.
    const list = await client.api('GET', `/endpoints/${ep.id}/deliveries`);
    expect(list.status).toBe(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.data).toEqual([
      expect.objectContaining({
        id: deliveryId,
        status: 'succeeded',
        attemptCount: 3,
        eventType: 'payment.succeeded',
      }),
    ]);
    expect(list.body.data[0]).not.toHaveProperty('attempts');
  });

  it('filters the endpoint delivery log by ?status= and ?eventType=', async () => {
    const ep = await endpoint((req) => (req.headers['x-webhook-event'] === 'payment.failed' ? 500 : 200));
    const ok1 = await client.publish('order.created', { orderId: 'ord_f1' });
    const bad = await client.publish('payment.failed', { paymentId: 'pay_f' });
    const ok2 = await client.publish('order.created', { orderId: 'ord_f2' });
    const all = [...ok1.deliveryIds, ...bad.deliveryIds, ...ok2.deliveryIds];
    for (const id of all) await client.waitForDelivery(id);

    const ids = async (query: string) => {
      const res = await client.api('GET', `/endpoints/${ep.id}/deliveries${query}`);
      expect(res.status).toBe(200);
      return (res.body.data as Array<{ id: string }>).map((d) => d.id);
    };
    // Newest first.
    expect(await ids('')).toEqual([...all].reverse());
    expect(await ids('?status=succeeded')).toEqual([ok2.deliveryIds[0], ok1.deliveryIds[0]]);
    expect(await ids('?status=failed')).toEqual(bad.deliveryIds);
    expect(await ids('?status=pending')).toEqual([]);
    expect(await ids('?eventType=order.created')).toEqual([ok2.deliveryIds[0], ok1.deliveryIds[0]]);
    expect(await ids('?eventType=payment.failed')).toEqual(bad.deliveryIds);
    expect(await ids('?eventType=payment.failed&status=succeeded')).toEqual([]);
    expect(await ids('?eventType=order.created&status=succeeded&limit=1')).toEqual([ok2.deliveryIds[0]]);
    const failed = await client.api('GET', `/endpoints/${ep.id}/deliveries?status=failed`);
    expect(failed.body.data[0]).toMatchObject({
      status: 'failed',
      attemptCount: 3,
      eventType: 'payment.failed',
    });

    const badStatus = await client.api('GET', `/endpoints/${ep.id}/deliveries?status=exploded`);
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.details.map((x: { field: string }) => x.field)).toContain('status');
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS: status failed, attemptCount 3; a manual retry adds a 4th attempt', async () => {
    const ep = await endpoint(500);
    const { deliveryIds } = await client.publish('payment.failed', { paymentId: 'pay_x' });
    const id = deliveryIds[0]!;
    const failed = await client.waitForDelivery(id);
    expect(failed).toMatchObject({ status: 'failed', attemptCount: 3, nextAttemptAt: null });
    expect(failed.attempts.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 500, 500]);
    expect(receiver.received(ep.path)).toHaveLength(3);

    // Manual retry: one more attempt of the same delivery, now answered 200.
    receiver.respond(200, ep.path);
    const retry = await client.api('POST', `/deliveries/${id}/retry`);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual({ deliveryId: id });
    const [, , , fourth] = await receiver.waitForRequests(4, { path: ep.path });
    expect(fourth!.headers['x-webhook-attempt']).toBe('4');
    expect(fourth!.headers['x-webhook-delivery']).toBe(id);
    await expectSignedBy(ep.secret, fourth!);
    const retried = await client.waitForDelivery(id, (d) => d.status === 'succeeded');
    expect(retried.attemptCount).toBe(4);
    expect(retried.attempts.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([
      500, 500, 500, 200,
    ]);
  });

  it('a manual retry that fails again ends as failed after exactly one more attempt', async () => {
    const ep = await endpoint(500);
    const id = (await client.publish('payment.failed', { paymentId: 'pay_y' })).deliveryIds[0]!;
    await client.waitForDelivery(id);
    expect((await client.api('POST', `/deliveries/${id}/retry`)).status).toBe(202);
    const d = await client.waitForDelivery(id, (x) => x.attemptCount === 4 && x.status === 'failed');
    expect(d.attempts).toHaveLength(4);
    expect(receiver.received(ep.path)).toHaveLength(4);
  });

  it('a manual retry of a delivery that just succeeded sends it again at once', async () => {
    const ep = await endpoint(200);
    const id = (await client.publish('payment.succeeded', { paymentId: 'pay_again' })).deliveryIds[0]!;
    await client.waitForDelivery(id);
    const retried = Date.now();
    expect((await client.api('POST', `/deliveries/${id}/retry`)).status).toBe(202);
    const d = await client.waitForDelivery(
      id,
      (x) => x.attemptCount === 2 && x.status === 'succeeded',
      5_000,
    );
    expect(d.attempts.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([200, 200]);
    expect(receiver.received(ep.path)).toHaveLength(2);
    expect(Date.now() - retried).toBeLessThan(5_000);
  });

  it('logs a hanging receiver as error "timeout" and retries', async () => {
    const ep = await endpoint(sequence({ hang: true }, 200));
    const id = (await client.publish('order.created', { orderId: 'ord_slow' })).deliveryIds[0]!;
    const d = await client.waitForDelivery(id);
    expect(d.status).toBe('succeeded');
    expect(d.attempts).toHaveLength(2);
    expect(d.attempts[0]).toMatchObject({
      attempt: 1,
      error: 'timeout',
      responseStatus: null,
      responseBody: null,
    });
    expect(d.attempts[0].durationMs).toBeGreaterThanOrEqual(450);
    expect(d.attempts[0].durationMs).toBeLessThan(5000);
    expect(d.attempts[1]).toMatchObject({ attempt: 2, error: null, responseStatus: 200 });
    expect(receiver.received(ep.path)).toHaveLength(2);
  });

  it('times out a receiver that sends its headers but never finishes the body (one deadline for the whole exchange)', async () => {
    await endpoint(sequence({ status: 200, stall: true, body: 'partial…' }, 200));
    const id = (await client.publish('order.created', { orderId: 'ord_drip' })).deliveryIds[0]!;
    const d = await client.waitForDelivery(id);
    expect(d.attempts[0]).toMatchObject({ attempt: 1, error: 'timeout', responseStatus: 200 });
    expect(d.attempts[0].durationMs).toBeGreaterThanOrEqual(450);
    expect(d).toMatchObject({ status: 'succeeded', attemptCount: 2 });
  });

  it('does not follow a 302: the attempt is logged as "redirect not followed" and the target is never called', async () => {
    const target = await startReceiver(200);
    try {
      const ep = await endpoint({ status: 302, headers: { location: target.url('/stolen') }, body: 'moved' });
      const id = (await client.publish('order.created', { orderId: 'ord_redirect' })).deliveryIds[0]!;
      const d = await client.waitForDelivery(id);
      expect(d.status).toBe('failed');
      expect(d.attempts).toHaveLength(3);
      for (const a of d.attempts) {
        expect(a).toMatchObject({ responseStatus: 302, error: 'redirect not followed' });
        expect(a.responseHeaders.location).toBe(target.url('/stolen'));
      }
      expect(receiver.received(ep.path)).toHaveLength(3);
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it.each([301, 303, 307, 308])('does not follow a %i either', async (status) => {
    const target = await startReceiver(200);
    try {
      const ep = await endpoint(sequence({ status, headers: { location: target.url('/elsewhere') } }, 200));
      const id = (await client.publish('order.created', { orderId: `ord_${status}` })).deliveryIds[0]!;
      const d = await client.waitForDelivery(id);
      expect(d.attempts[0]).toMatchObject({ responseStatus: status, error: 'redirect not followed' });
      expect(d).toMatchObject({ status: 'succeeded', attemptCount: 2 });
      expect(receiver.received(ep.path)).toHaveLength(2);
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it('keeps the first WEBHOOK_RESPONSE_BODY_LIMIT bytes of an answer and flags the rest as truncated', async () => {
    await endpoint({ status: 200, body: 'ü'.repeat(5000) }); // 10 000 bytes
    const id = (await client.publish('order.created', { orderId: 'ord_big_answer' })).deliveryIds[0]!;
    const d = await client.waitForDelivery(id);
    expect(d.status).toBe('succeeded');
    expect(d.attempts[0].responseBodyTruncated).toBe(true);
    expect(d.attempts[0].responseBody).toBe('ü'.repeat(2048)); // 4096 bytes
  });

  it('a manual retry of a pending delivery is attempted now, ahead of its schedule', async () => {
    const ep = await endpoint(sequence({ status: 503, headers: { 'retry-after': '30' } }, 200));
    const id = (await client.publish('order.created', { orderId: 'ord_retry_now' })).deliveryIds[0]!;
    const pending = await client.waitForDelivery(
      id,
      (d) => d.attemptCount === 1 && d.status === 'pending' && d.nextAttemptAt !== null,
    );
    expect(Date.parse(pending.nextAttemptAt) - Date.now()).toBeGreaterThan(20_000);
    expect((await client.api('POST', `/deliveries/${id}/retry`)).status).toBe(202);
    const d = await client.waitForDelivery(id, (x) => x.status === 'succeeded', 5000);
    expect(d.attemptCount).toBe(2);
    expect(receiver.received(ep.path).map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2']);
  });

  it('delivers a burst of 30 events to one endpoint exactly once each', async () => {
    const ep = await endpoint(200, ['order.created']);
    const published = await Promise.all(
      Array.from({ length: 30 }, (_, i) => client.publish('order.created', { orderId: `ord_burst_${i}` })),
    );
    const ids = published.flatMap((p) => p.deliveryIds);
    expect(new Set(ids).size).toBe(30);
    for (const id of ids) await client.waitForDelivery(id, (d) => d.status === 'succeeded');
    const got = receiver.received(ep.path);
    expect(got).toHaveLength(30);
    expect(new Set(got.map((r) => r.headers['x-webhook-delivery']))).toEqual(new Set(ids));
    expect(new Set(got.map((r) => r.headers['x-webhook-attempt']))).toEqual(new Set(['1']));
  });

  it('410 Gone disables the endpoint (disabledReason "gone") and fails the delivery without retrying', async () => {
    const ep = await endpoint(410);
    const id = (await client.publish('order.created', { orderId: 'ord_gone' })).deliveryIds[0]!;
    const d = await client.waitForDelivery(id);
    expect(d).toMatchObject({ status: 'failed', attemptCount: 1 });
    expect(d.attempts[0].responseStatus).toBe(410);
    const disabled = await waitFor(async () => {
      const e = await client.endpoint(ep.id);
      return e.status === 'disabled' ? e : undefined;
    });
    expect(disabled.disabledReason).toBe('gone');

    // A disabled endpoint is left out of later events.
    const later = await client.publish('order.created', { orderId: 'ord_after_gone' });
    expect(later.deliveryIds).toHaveLength(0);
    expect(receiver.received(ep.path)).toHaveLength(1);
  });

  describe('test deliveries', () => {
    it('POST …/test sends a signed webhook.test to this endpoint only, through the normal path, and logs it', async () => {
      const ep = await endpoint(200);
      const bystander = await endpoint(200); // subscribed to "*", must not get the test
      const res = await client.api('POST', `/endpoints/${ep.id}/test`);
      expect(res.status).toBe(202);
      expect(res.body.deliveryId).toMatch(/^dlv_[0-9a-z]{26}$/);
      const [req] = await receiver.waitForRequests(1, { path: ep.path });
      expect(req!.headers['x-webhook-event']).toBe('webhook.test');
      expect(req!.headers['x-webhook-delivery']).toBe(res.body.deliveryId);
      expect(req!.headers['x-webhook-attempt']).toBe('1');
      expect(req!.json).toMatchObject({
        type: 'webhook.test',
        workspaceId: client.workspaceId,
        id: expect.stringMatching(/^evt_/),
      });
      await expectSignedBy(ep.secret, req!);

      const d = await client.waitForDelivery(res.body.deliveryId);
      expect(d).toMatchObject({
        endpointId: ep.id,
        eventType: 'webhook.test',
        status: 'succeeded',
        attemptCount: 1,
      });
      expect(d.attempts[0].responseStatus).toBe(200);
      const list = await client.api('GET', `/endpoints/${ep.id}/deliveries?eventType=webhook.test`);
      expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([res.body.deliveryId]);

      // Nothing went to the other endpoint (a sentinel event proves its queue was drained).
      await client.publish('order.created', { orderId: 'ord_sentinel' });
      await receiver.waitForRequests(1, { path: bystander.path });
      await receiver.waitForRequests(2, { path: ep.path });
      expect(receiver.received(bystander.path).map((r) => r.headers['x-webhook-event'])).toEqual([
        'order.created',
      ]);
    });

    it('with {eventType} sends that type\'s sample marked "test": true', async () => {
      const ep = await endpoint(200, ['order.created']); // a test may use a type the endpoint does not subscribe to
      const res = await client.api('POST', `/endpoints/${ep.id}/test`, { eventType: 'payment.succeeded' });
      expect(res.status).toBe(202);
      const [req] = await receiver.waitForRequests(1, { path: ep.path });
      expect(req!.headers['x-webhook-event']).toBe('payment.succeeded');
      expect(req!.json).toMatchObject({
        type: 'payment.succeeded',
        test: true,
        data: { paymentId: expect.any(String), amount: expect.any(Number), currency: expect.any(String) },
      });
      await expectSignedBy(ep.secret, req!);
      const d = await client.waitForDelivery(res.body.deliveryId);
      expect(d).toMatchObject({ eventType: 'payment.succeeded', status: 'succeeded' });
    });

    it('refuses an unknown eventType with 400', async () => {
      const ep = await endpoint(200);
      const res = await client.api('POST', `/endpoints/${ep.id}/test`, { eventType: 'payment.exploded' });
      expect(res.status).toBe(400);
      expect(res.body.details.map((x: { field: string }) => x.field)).toContain('eventType');
    });
  });

  describe('who gets nothing', () => {
    it('an endpoint not subscribed to the type gets nothing', async () => {
      const ep = await endpoint(200, ['order.created']);
      const skipped = await client.publish('payment.succeeded', { paymentId: 'pay_unsub' });
      expect(skipped.deliveryIds).toEqual([]);

      // Sentinel: the next subscribed event arrives, and it is the only one.
      const sentinel = await client.publish('order.created', { orderId: 'ord_sub' });
      const [req] = await receiver.waitForRequests(1, { path: ep.path });
      expect(req!.json.id).toBe(sentinel.eventId);
      expect(receiver.received(ep.path)).toHaveLength(1);
      expect(await client.allDeliveries(ep.id)).toHaveLength(1);

      // A changed subscription applies to the very next event.
      expect((await client.api('PATCH', `/endpoints/${ep.id}`, { events: ['lead.created'] })).status).toBe(
        200,
      );
      expect((await client.publish('order.created', { orderId: 'ord_unsub_now' })).deliveryIds).toEqual([]);
      const lead = await client.publish('lead.created', { leadId: 'ld_1' });
      expect(lead.deliveryIds).toHaveLength(1);
      await receiver.waitForRequests(2, { path: ep.path });
      expect(receiver.received(ep.path).map((r) => r.headers['x-webhook-event'])).toEqual([
        'order.created',
        'lead.created',
      ]);
    });

    it('a disabled endpoint gets nothing, and is not sent the missed events when enabled again', async () => {
      const ep = await endpoint(200, ['order.created']);
      const off = await client.api('PATCH', `/endpoints/${ep.id}`, { status: 'disabled' });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ status: 'disabled', disabledReason: 'manual' });
      const missed = await client.publish('order.created', { orderId: 'ord_disabled' });
      expect(missed.deliveryIds).toEqual([]);

      const on = await client.api('PATCH', `/endpoints/${ep.id}`, { status: 'enabled' });
      expect(on.body.status).toBe('enabled');
      expect(on.body).not.toHaveProperty('disabledReason');
      const sentinel = await client.publish('order.created', { orderId: 'ord_enabled' });
      const [req] = await receiver.waitForRequests(1, { path: ep.path });
      expect(req!.json.id).toBe(sentinel.eventId);
      expect(receiver.received(ep.path)).toHaveLength(1);
    });

    it('disabling cancels a pending retry', async () => {
      const ep = await endpoint(sequence({ status: 503, headers: { 'retry-after': '2' } }, 200));
      const id = (await client.publish('order.created', { orderId: 'ord_disable_pending' })).deliveryIds[0]!;
      await client.waitForDelivery(
        id,
        (d) => d.attemptCount === 1 && d.status === 'pending' && d.nextAttemptAt !== null,
      );
      expect((await client.api('PATCH', `/endpoints/${ep.id}`, { status: 'disabled' })).status).toBe(200);
      const d = await client.waitForDelivery(id);
      expect(d).toMatchObject({ status: 'cancelled', attemptCount: 1, nextAttemptAt: null });
    });

    it('deleting an endpoint cancels its pending retries and nothing arrives afterwards', async () => {
      // Two endpoints whose first attempt gets 503 + Retry-After: 2 s; one is deleted while its retry waits.
      const doomed = await endpoint(sequence({ status: 503, headers: { 'retry-after': '2' } }, 200), [
        'order.created',
      ]);
      const witness = await endpoint(sequence({ status: 503, headers: { 'retry-after': '2' } }, 200), [
        'order.created',
      ]);
      const { deliveryIds } = await client.publish('order.created', { orderId: 'ord_delete' });
      const byEndpoint = new Map(
        // Deliveries are created by the saga just after the publish answers: wait for them to show.
        (await Promise.all(deliveryIds.map((id) => client.waitForDelivery(id, () => true)))).map((d) => [
          d.endpointId,
          d.id as string,
        ]),
      );
      const doomedId = byEndpoint.get(doomed.id)!;
      const witnessId = byEndpoint.get(witness.id)!;

      const pending = await client.waitForDelivery(
        doomedId,
        (d) => d.attemptCount === 1 && d.status === 'pending' && d.nextAttemptAt !== null,
      );
      // Retry-After lengthened the wait to about 2 s.
      expect(
        Date.parse(pending.nextAttemptAt) - Date.parse(pending.attempts[0].startedAt),
      ).toBeGreaterThanOrEqual(1900);

      const del = await client.api('DELETE', `/endpoints/${doomed.id}`);
      expect(del.status).toBe(204);
      const cancelled = await client.waitForDelivery(doomedId);
      expect(cancelled).toMatchObject({ status: 'cancelled', attemptCount: 1, nextAttemptAt: null });
      expect((await client.api('GET', `/endpoints/${doomed.id}`)).status).toBe(404);

      // A cancelled delivery cannot be retried by hand either.
      const retry = await client.api('POST', `/deliveries/${doomedId}/retry`);
      expect(retry.status).toBe(409);

      // The witness's retry, due at about the same moment, arrives; the deleted one's never does.
      await receiver.waitForRequests(2, { path: witness.path, timeoutMs: 8000 });
      await client.waitForDelivery(witnessId, (d) => d.status === 'succeeded');
      // Give the cancelled schedule its moment plus a margin (two poll intervals and more).
      await sleep(Math.max(0, Date.parse(pending.nextAttemptAt) + 300 - Date.now()));
      expect(receiver.received(doomed.path)).toHaveLength(1);
      expect((await client.delivery(doomedId)).attempts).toHaveLength(1);
    });
  });

  it('fans out one event to 50 endpoints, each receiving one delivery signed with its own secret', async () => {
    const endpoints: Array<{ id: string; secret: string; path: string }> = [];
    for (let i = 0; i < 50; i++) {
      const path = `/fan-${i}`;
      receiver.respond(200, path);
      const ep = await client.createEndpoint(receiver.url(path), ['contact.created']);
      endpoints.push({ id: ep.id, secret: ep.secret, path });
    }
    expect(new Set(endpoints.map((e) => e.secret)).size).toBe(50);

    const { eventId, deliveryIds } = await client.publish('contact.created', {
      contactId: 'ct_fan',
      name: 'Ada',
    });
    expect(deliveryIds).toHaveLength(50);
    expect(new Set(deliveryIds).size).toBe(50);
    await waitFor(() => endpoints.every((e) => receiver.received(e.path).length >= 1), {
      timeoutMs: 15_000,
      message: () =>
        `${endpoints.filter((e) => receiver.received(e.path).length > 0).length}/50 endpoints reached`,
    });
    for (const id of deliveryIds) await client.waitForDelivery(id, (d) => d.status === 'succeeded');

    const seenDeliveries = new Set<string>();
    for (const [i, e] of endpoints.entries()) {
      const got = receiver.received(e.path);
      // One delivery per endpoint. On a loaded machine an attempt can exceed the suite's 500 ms
      // timeout and be retried; a retry is the same delivery (same id), never a second one.
      expect(new Set(got.map((r) => r.headers['x-webhook-delivery'])).size).toBe(1);
      const req = got[got.length - 1]!;
      expect(req.json.id).toBe(eventId);
      seenDeliveries.add(req.headers['x-webhook-delivery']!);
      await expectSignedBy(e.secret, req);
      // …and not by a neighbour's secret.
      const neighbour = endpoints[(i + 1) % endpoints.length]!;
      await expect(verifyGithub(neighbour.secret, req.text, req.headers['x-signature-256']!)).resolves.toBe(
        false,
      );
      expect(standardVerifies(neighbour.secret, req)).toBe(false);
    }
    expect(seenDeliveries).toEqual(new Set(deliveryIds));
  });
});
