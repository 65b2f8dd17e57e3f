/**
 * Retry schedules live in the stores, not in timers: a service stopped in the middle of a backoff
 * and started again on the same DATA_DIR still makes the next attempt of the same delivery.
 */
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { type Receiver, sequence, startReceiver, WebhookClient } from '../libs/testing/src/receiver.js';
import { type RunningTestApp, startTestApp } from '../libs/testing/src/test-app.js';

const ENV = {
  WEBHOOK_DISPATCH_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_RETRY_BASE_MS: '1500',
  WEBHOOK_RETRY_FACTOR: '2',
  WEBHOOK_MAX_ATTEMPTS: '3',
};

describe('webhook delivery across a restart (e2e)', () => {
  let app: RunningTestApp | undefined;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver(200);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('makes attempt 2 of the same delivery after a restart in the middle of the backoff', async () => {
    app = await startTestApp(ENV);
    const dataDir = app.dataDir;
    const client = await WebhookClient.create(app, 'ws_restart');
    receiver.respond(sequence({ status: 500, body: 'down for maintenance' }, 200), '/restart');
    const ep = await client.createEndpoint(receiver.url('/restart'), ['payment.succeeded']);
    const { eventId, deliveryIds } = await client.publish('payment.succeeded', {
      paymentId: 'pay_restart',
      note: 'Grüße 👋',
    });
    const id = deliveryIds[0]!;

    // Attempt 1 failed and attempt 2 is scheduled about 1.5 s (±20 %) later.
    const [first] = await receiver.waitForRequests(1, { path: '/restart' });
    const pending = await client.waitForDelivery(
      id,
      (d) => d.status === 'pending' && d.attemptCount === 1 && d.nextAttemptAt,
    );
    const nextAttemptAt = Date.parse(pending.nextAttemptAt);
    expect(nextAttemptAt - Date.parse(pending.attempts[0].startedAt)).toBeGreaterThanOrEqual(1150);

    // Stop while the retry waits; nothing is sent meanwhile.
    await app.close();
    app = undefined;
    expect(Date.now()).toBeLessThan(nextAttemptAt);
    expect(receiver.received('/restart')).toHaveLength(1);

    // Start again on the same DATA_DIR: the schedule, the secret and the token survived.
    app = await startTestApp(ENV, dataDir);
    const after = client.on(app);
    const [, second] = await receiver.waitForRequests(2, { path: '/restart', timeoutMs: 10_000 });
    expect(second!.receivedAt).toBeGreaterThanOrEqual(nextAttemptAt - 50);
    expect(second!.headers['x-webhook-attempt']).toBe('2');
    expect(second!.headers['x-webhook-delivery']).toBe(id);
    expect(second!.headers['webhook-id']).toBe(id);
    expect(second!.headers['x-webhook-delivery']).toBe(first!.headers['x-webhook-delivery']);
    expect(second!.text).toBe(first!.text);
    expect(second!.json.id).toBe(eventId);
    await expect(verifyGithub(ep.secret, second!.text, second!.headers['x-signature-256']!)).resolves.toBe(
      true,
    );
    expect(
      new Webhook(ep.secret).verify(second!.rawBody, {
        'webhook-id': second!.headers['webhook-id']!,
        'webhook-timestamp': second!.headers['webhook-timestamp']!,
        'webhook-signature': second!.headers['webhook-signature']!,
      }),
    ).toEqual(second!.json);

    const done = await after.waitForDelivery(id);
    expect(done).toMatchObject({ id, status: 'succeeded', attemptCount: 2, nextAttemptAt: null });
    expect(done.attempts.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 200]);
    // Exactly once: no duplicate attempt from the restart.
    expect(receiver.received('/restart')).toHaveLength(2);
  });
});
