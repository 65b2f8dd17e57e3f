import { createHmac } from 'node:crypto';
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from './webhook-secret.js';
import { buildDeliveryHeaders, signGithub, signStandard } from './webhook-signer.js';

const now = (): number => Math.floor(Date.now() / 1000);

describe('webhook signatures, checked with off-the-shelf subscriber verifiers', () => {
  const payload = JSON.stringify({
    id: 'evt_01',
    type: 'payment.succeeded',
    data: { note: 'Zahlung für Café — ✓ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉💸', amount: 4200 },
  });
  const body = Buffer.from(payload, 'utf8');

  it('X-Signature-256 verifies with @octokit/webhooks-methods (non-ASCII body)', async () => {
    expect(body.byteLength).toBeGreaterThan(payload.length); // the emoji really are multi-byte
    const secret = generateWebhookSecret();
    const signature = signGithub(secret, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    await expect(verifyGithub(secret, payload, signature)).resolves.toBe(true);
    await expect(verifyGithub(generateWebhookSecret(), payload, signature)).resolves.toBe(false);
    await expect(verifyGithub(secret, payload.replace('4200', '4201'), signature)).resolves.toBe(false);
  });

  it('webhook-signature verifies with standardwebhooks (non-ASCII body)', () => {
    const secret = generateWebhookSecret();
    const ts = now();
    const headers = {
      'webhook-id': 'dlv_01',
      'webhook-timestamp': String(ts),
      'webhook-signature': signStandard('dlv_01', ts, body, [secret]),
    };
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
    expect(() => new Webhook(generateWebhookSecret()).verify(payload, headers)).toThrow(
      /No matching signature/,
    );
    expect(() => new Webhook(secret).verify(payload, { ...headers, 'webhook-id': 'dlv_02' })).toThrow(
      /No matching signature/,
    );
  });

  it('signs once per secret, and each secret verifies on its own', () => {
    const current = generateWebhookSecret();
    const previous = generateWebhookSecret();
    const ts = now();
    const signature = signStandard('dlv_02', ts, body, [current, previous]);
    expect(signature.split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': 'dlv_02',
      'webhook-timestamp': String(ts),
      'webhook-signature': signature,
    };
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(payload));
    }
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('matches the documented formulas byte for byte', () => {
    const key = Buffer.alloc(32, 7);
    const secret = `whsec_${key.toString('base64')}`;
    const expectedStandard = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from('dlv_x.1700000000.'), body]))
      .digest('base64');
    expect(signStandard('dlv_x', 1_700_000_000, body, [secret])).toBe(`v1,${expectedStandard}`);
    const expectedGithub = createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
    expect(signGithub(secret, body)).toBe(`sha256=${expectedGithub}`);
  });

  it('refuses fractional timestamps and an empty secret list', () => {
    expect(() => signStandard('dlv_x', 1.5, body, [generateWebhookSecret()])).toThrow(/unix seconds/);
    expect(() => signStandard('dlv_x', 1, body, [])).toThrow(/at least one secret/);
  });
});

describe('buildDeliveryHeaders', () => {
  const payload = '{"id":"evt_1","type":"order.created","data":{"name":"Zoë 😀"}}';
  const body = Buffer.from(payload);
  const current = generateWebhookSecret();
  const previous = generateWebhookSecret();
  const ts = now();
  const headers = buildDeliveryHeaders({
    deliveryId: 'dlv_abc',
    eventType: 'order.created',
    attempt: 3,
    timestampSeconds: ts,
    body,
    currentSecret: current,
    previousSecrets: [previous],
    userAgentVersion: '1.2.3',
  });

  it('carries every contract header', () => {
    expect(headers).toEqual({
      'Content-Type': 'application/json',
      'Content-Length': String(body.byteLength),
      'User-Agent': 'WhatsMine-Webhooks/1.2.3',
      'X-Signature-256': signGithub(current, body),
      'X-Webhook-Event': 'order.created',
      'X-Webhook-Delivery': 'dlv_abc',
      'X-Webhook-Attempt': '3',
      'webhook-id': 'dlv_abc',
      'webhook-timestamp': String(ts),
      'webhook-signature': signStandard('dlv_abc', ts, body, [current, previous]),
    });
    expect(headers['Content-Length']).not.toBe(String(payload.length)); // bytes, not UTF-16 units
  });

  it('verifies as GitHub (current secret only) and as Standard Webhooks (both secrets)', async () => {
    await expect(verifyGithub(current, payload, headers['X-Signature-256']!)).resolves.toBe(true);
    await expect(verifyGithub(previous, payload, headers['X-Signature-256']!)).resolves.toBe(false);
    expect(new Webhook(current).verify(payload, headers)).toEqual(JSON.parse(payload));
    expect(new Webhook(previous).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it('never contains a secret', () => {
    const all = JSON.stringify(headers);
    for (const secret of [current, previous]) {
      expect(all).not.toContain(secret);
      expect(all).not.toContain(secret.slice('whsec_'.length));
    }
  });
});
