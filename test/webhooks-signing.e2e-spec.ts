/**
 * What a subscriber receives, checked the way a subscriber would: the raw request on a real local
 * HTTP server, verified with off-the-shelf verifiers of both conventions (GitHub-style
 * `@octokit/webhooks-methods`, and `standardwebhooks`), headers and body shape, multi-byte text,
 * and signing-secret rotation.
 */
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import {
  type ReceivedRequest,
  type Receiver,
  startReceiver,
  waitFor,
  WebhookClient,
} from '../libs/testing/src/receiver.js';
import { type RunningTestApp, startTestApp } from '../libs/testing/src/test-app.js';

const ENV = {
  WEBHOOK_DISPATCH_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_FACTOR: '2',
  WEBHOOK_MAX_ATTEMPTS: '3',
};
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

/** `standardwebhooks` verification as a subscriber does it: raw body + the three webhook-* headers. */
function verifyStandard(
  secret: string,
  request: ReceivedRequest,
  body: string | Buffer = request.rawBody,
): unknown {
  return new Webhook(secret).verify(body, {
    'webhook-id': request.headers['webhook-id']!,
    'webhook-timestamp': request.headers['webhook-timestamp']!,
    'webhook-signature': request.headers['webhook-signature']!,
  });
}

function standardVerifies(secret: string, request: ReceivedRequest): boolean {
  try {
    verifyStandard(secret, request);
    return true;
  } catch {
    return false;
  }
}

describe('webhook signing (e2e)', () => {
  let app: RunningTestApp;
  let receiver: Receiver;
  let client: WebhookClient;

  beforeAll(async () => {
    app = await startTestApp(ENV);
    receiver = await startReceiver(200);
    client = await WebhookClient.create(app, 'ws_signing');
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  /** Registers an endpoint on its own path of the receiver. */
  async function endpointAt(path: string, events: string[] = ['*']) {
    const endpoint = await client.createEndpoint(receiver.url(path), events);
    return { ...endpoint, path } as { id: string; secret: string; path: string };
  }

  it('signs ASCII payloads so that both off-the-shelf verifiers accept them, with every contract header', async () => {
    const ep = await endpointAt('/ascii');
    expect(ep.secret).toMatch(SECRET);
    expect(Buffer.from(ep.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    const data = { paymentId: 'pay_1', amount: 4200, currency: 'EUR' };
    const published = await client.publish('payment.succeeded', data);
    expect(published.deliveryIds).toHaveLength(1);
    const [req] = await receiver.waitForRequests(1, { path: ep.path });
    const h = req!.headers;

    expect(req!.method).toBe('POST');
    expect(h['content-type']).toBe('application/json');
    expect(h['user-agent']).toMatch(/^WhatsMine-Webhooks\/\d+\.\d+\.\d+/);
    expect(h['x-webhook-event']).toBe('payment.succeeded');
    expect(h['x-webhook-delivery']).toBe(published.deliveryIds[0]);
    expect(h['x-webhook-attempt']).toBe('1');
    expect(h['webhook-id']).toBe(published.deliveryIds[0]);
    expect(h['webhook-timestamp']).toMatch(/^\d+$/);
    expect(Math.abs(Number(h['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(h['x-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(h['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(Number(h['content-length'])).toBe(req!.rawBody.byteLength);

    // The body: exactly the contract's envelope.
    expect(Object.keys(req!.json).sort()).toEqual(['createdAt', 'data', 'id', 'type', 'workspaceId']);
    expect(req!.json).toEqual({
      id: published.eventId,
      type: 'payment.succeeded',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      workspaceId: 'ws_signing',
      data,
    });
    expect(published.eventId).toMatch(/^evt_[0-9a-z]{26}$/);

    // GitHub convention: key = the whole secret string, message = the raw body.
    await expect(verifyGithub(ep.secret, req!.text, h['x-signature-256']!)).resolves.toBe(true);
    // Standard Webhooks: key = base64 part of the secret, message = id.timestamp.body.
    expect(verifyStandard(ep.secret, req!)).toEqual(req!.json);
  });

  it('verifies payloads with non-ASCII text and emoji, and Content-Length counts bytes, not characters', async () => {
    const ep = await endpointAt('/unicode');
    const data = {
      from: 'Zoë Ångström-Çelik',
      text: 'Grüße aus Köln 👋🏽 — 日本語のテキスト, עברית, العربية 🎉🚀',
      tags: ['ñ', 'ß', '€', '😀'],
      nested: { ключ: 'значение ✓' },
    };
    const published = await client.publish('message.received', data);
    const [req] = await receiver.waitForRequests(1, { path: ep.path });
    const h = req!.headers;

    const byteLength = req!.rawBody.byteLength;
    expect(Number(h['content-length'])).toBe(byteLength);
    expect(byteLength).toBeGreaterThan(req!.text.length); // multi-byte characters made it through as bytes
    expect(req!.json.data).toEqual(data);
    expect(req!.json.id).toBe(published.eventId);

    await expect(verifyGithub(ep.secret, req!.text, h['x-signature-256']!)).resolves.toBe(true);
    expect(verifyStandard(ep.secret, req!)).toEqual(req!.json);
    expect(verifyStandard(ep.secret, req!, req!.text)).toEqual(req!.json);

    // The verifiers really check: a changed body, or another secret, is refused.
    const tampered = req!.text.replace('Köln', 'Koln');
    await expect(verifyGithub(ep.secret, tampered, h['x-signature-256']!)).resolves.toBe(false);
    expect(() => verifyStandard(ep.secret, req!, tampered)).toThrow();
    const other = await endpointAt('/unicode-other', ['contact.created']);
    await expect(verifyGithub(other.secret, req!.text, h['x-signature-256']!)).resolves.toBe(false);
    expect(standardVerifies(other.secret, req!)).toBe(false);
  });

  describe('secret rotation', () => {
    it('signs X-Signature-256 with the new secret only, webhook-signature with both during the overlap', async () => {
      const ep = await endpointAt('/rotate');
      const oldSecret = ep.secret;

      const rotated = await client.api('POST', `/endpoints/${ep.id}/rotate-secret`, {});
      expect(rotated.status).toBe(200);
      const newSecret = rotated.body.secret as string;
      expect(newSecret).toMatch(SECRET);
      expect(newSecret).not.toBe(oldSecret);
      // Default overlap: WEBHOOK_SECRET_OVERLAP_MS = 24 h.
      const expires = Date.parse(rotated.body.previousSecretExpiresAt);
      expect(Math.abs(expires - (Date.now() + 86_400_000))).toBeLessThan(60_000);

      const shown = await client.api('GET', `/endpoints/${ep.id}/secret`);
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual({
        secret: newSecret,
        previousSecretExpiresAt: rotated.body.previousSecretExpiresAt,
      });

      await client.publish('order.created', { orderId: 'ord_rot', note: 'Überweisung ✓' });
      const [req] = await receiver.waitForRequests(1, { path: ep.path });
      const h = req!.headers;

      await expect(verifyGithub(newSecret, req!.text, h['x-signature-256']!)).resolves.toBe(true);
      await expect(verifyGithub(oldSecret, req!.text, h['x-signature-256']!)).resolves.toBe(false);
      expect(h['webhook-signature']!.split(' ')).toHaveLength(2);
      expect(verifyStandard(newSecret, req!)).toEqual(req!.json);
      expect(verifyStandard(oldSecret, req!)).toEqual(req!.json);
    });

    it('with previousSecretExpiresInMs 0 the old secret no longer verifies anything', async () => {
      const ep = await endpointAt('/rotate-now');
      const first = ep.secret;
      const second = (await client.api('POST', `/endpoints/${ep.id}/rotate-secret`, {})).body
        .secret as string;

      const rotated = await client.api('POST', `/endpoints/${ep.id}/rotate-secret`, {
        previousSecretExpiresInMs: 0,
      });
      expect(rotated.status).toBe(200);
      const third = rotated.body.secret as string;
      expect(rotated.body.previousSecretExpiresAt).toBeNull();
      const shown = await client.api('GET', `/endpoints/${ep.id}/secret`);
      expect(shown.body.secret).toBe(third);
      expect(shown.body.previousSecretExpiresAt ?? null).toBeNull();

      await client.publish('order.created', { orderId: 'ord_now' });
      const [req] = await receiver.waitForRequests(1, { path: ep.path });
      const h = req!.headers;

      expect(h['webhook-signature']!.split(' ')).toHaveLength(1);
      await expect(verifyGithub(third, req!.text, h['x-signature-256']!)).resolves.toBe(true);
      expect(verifyStandard(third, req!)).toEqual(req!.json);
      for (const retired of [first, second]) {
        await expect(verifyGithub(retired, req!.text, h['x-signature-256']!)).resolves.toBe(false);
        expect(standardVerifies(retired, req!)).toBe(false);
      }
    });

    it('stops signing with the previous secret once its overlap ends', async () => {
      const ep = await endpointAt('/rotate-short');
      const oldSecret = ep.secret;
      const rotated = await client.api('POST', `/endpoints/${ep.id}/rotate-secret`, {
        previousSecretExpiresInMs: 300,
      });
      expect(rotated.status).toBe(200);
      const newSecret = rotated.body.secret as string;
      expect(Date.parse(rotated.body.previousSecretExpiresAt)).toBeGreaterThan(Date.now() - 1000);

      // Once the overlap is over, the secret route no longer announces a previous secret…
      await waitFor(async () => {
        const s = await client.api('GET', `/endpoints/${ep.id}/secret`);
        return s.body.secret === newSecret && !s.body.previousSecretExpiresAt;
      });
      // …and deliveries carry the new signature only.
      await client.publish('order.created', { orderId: 'ord_short' });
      const [req] = await receiver.waitForRequests(1, { path: ep.path });
      expect(req!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
      expect(standardVerifies(newSecret, req!)).toBe(true);
      expect(standardVerifies(oldSecret, req!)).toBe(false);
    });
  });
});
