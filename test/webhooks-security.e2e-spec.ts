/**
 * The webhook routes' security edges over real HTTP: SSRF refusals for private targets (literal
 * addresses, numeric forms, host names that resolve to loopback; on create and on PATCH; again at
 * send time), workspace isolation on every route, scopes, and no secret or token plaintext in the
 * service's logs or in the stored attempt headers.
 */
import { type Receiver, startReceiver, WebhookClient } from '../libs/testing/src/receiver.js';
import { http, type RunningTestApp, startTestApp } from '../libs/testing/src/test-app.js';

const FAST = {
  WEBHOOK_DISPATCH_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_FACTOR: '2',
  WEBHOOK_MAX_ATTEMPTS: '2',
};

type Res = { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

function expectPrivateRefusal(res: Res): void {
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
  expect(res.body.message).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS');
}

/** Every private target the contract names, plus a few other spellings of the same places. */
const PRIVATE_URLS = [
  'http://127.0.0.1/hook',
  'http://127.0.0.1:8080/hook',
  'http://10.0.0.1/hook',
  'https://192.168.1.10/hook',
  'http://172.16.0.1/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://[::1]/hook',
  'http://[::1]:3000/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://127.1/',
  'http://0.0.0.0/',
  'http://0177.0.0.1/',
  'http://100.64.0.1/',
  'http://[fe80::1]/',
  'http://[fd00::1]/',
  'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
  'http://localhost/hook',
  'http://localhost:3000/hook',
  'http://LOCALHOST./hook',
  'http://api.localhost/hook',
  // Names from /etc/hosts that resolve to 127.0.0.1: refused after resolution, not by their spelling.
  'http://vm/hook',
  'http://runsc:8080/hook',
];

describe('webhook security (e2e)', () => {
  describe('with WEBHOOK_ALLOW_PRIVATE_NETWORKS=false', () => {
    let app: RunningTestApp;
    let client: WebhookClient;

    beforeAll(async () => {
      app = await startTestApp({ ...FAST, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
      client = await WebhookClient.create(app, 'ws_ssrf');
    });

    afterAll(async () => {
      await app?.close();
    });

    it.each(PRIVATE_URLS)(
      'refuses to register %s with 422 naming WEBHOOK_ALLOW_PRIVATE_NETWORKS',
      async (url) => {
        expectPrivateRefusal(await client.api('POST', '/endpoints', { url, events: ['*'] }));
      },
    );

    it('judges a host name by what it resolves to', async () => {
      const res = await client.api('POST', '/endpoints', { url: 'http://vm/hook', events: ['*'] });
      expectPrivateRefusal(res);
      expect(res.body.message).toContain('127.0.0.1');
    });

    it('registered none of them', async () => {
      expect((await client.api('GET', '/endpoints')).body.data).toEqual([]);
    });

    it('accepts a public address (nothing is published to it here)', async () => {
      const res = await client.api('POST', '/endpoints', {
        url: 'https://93.184.215.14/hook',
        events: ['order.created'],
      });
      expect(res.status).toBe(201);
    });

    it.each(PRIVATE_URLS)(
      'refuses to PATCH the url to %s, and leaves the endpoint unchanged',
      async (url) => {
        const ep = await client.createEndpoint('https://93.184.215.14/patch-me', ['order.created']);
        expectPrivateRefusal(await client.api('PATCH', `/endpoints/${ep.id}`, { url }));
        expect((await client.endpoint(ep.id)).url).toBe('https://93.184.215.14/patch-me');
      },
    );
  });

  it('refuses at send time an endpoint registered while private networks were allowed', async () => {
    const receiver = await startReceiver(200);
    let app: RunningTestApp | undefined;
    try {
      app = await startTestApp({ ...FAST, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
      const client = await WebhookClient.create(app, 'ws_ssrf_send');
      await client.createEndpoint(receiver.url('/literal'), ['order.created']);
      await client.createEndpoint(receiver.url('/named').replace('127.0.0.1', 'localhost'), [
        'order.created',
      ]);
      await client.createEndpoint(receiver.url('/hosts-file').replace('127.0.0.1', 'vm'), ['order.created']);
      const { dataDir } = app;
      await app.close();
      app = undefined;

      app = await startTestApp({ ...FAST, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' }, dataDir);
      const again = client.on(app);
      const { deliveryIds } = await again.publish('order.created', { orderId: 'ord_ssrf' });
      expect(deliveryIds).toHaveLength(3);
      for (const id of deliveryIds) {
        const d = await again.waitForDelivery(id);
        expect(d.status).toBe('failed');
        for (const a of d.attempts)
          expect(a).toMatchObject({ responseStatus: null, error: 'private address refused' });
      }
      // Even the test route refuses (it would send to the same place).
      const [ep] = (await again.api('GET', '/endpoints')).body.data;
      expectPrivateRefusal(await again.api('POST', `/endpoints/${ep.id}/test`));
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await app?.close();
      await receiver.close();
    }
  });

  describe('workspaces, scopes and secrets', () => {
    let app: RunningTestApp;
    let receiver: Receiver;
    let owner: WebhookClient;
    let stranger: WebhookClient;
    let ep: { id: string; secret: string };
    let deliveryId: string;

    beforeAll(async () => {
      app = await startTestApp({ ...FAST, LOG_LEVEL: 'trace' });
      receiver = await startReceiver(200);
      owner = await WebhookClient.create(app, 'ws_owner');
      stranger = await WebhookClient.create(app, 'ws_stranger');
      ep = await owner.createEndpoint(receiver.url('/owner'), ['*']);
      deliveryId = (await owner.publish('order.created', { orderId: 'ord_owner' })).deliveryIds[0]!;
      await owner.waitForDelivery(deliveryId);
    });

    afterAll(async () => {
      await app?.close();
      await receiver?.close();
    });

    it("answers 404 on every route for another workspace's endpoint and delivery, exactly as for unknown ids", async () => {
      const routes = (endpointId: string, dlvId: string): Array<[string, string, unknown?]> => [
        ['GET', `/endpoints/${endpointId}`],
        ['PATCH', `/endpoints/${endpointId}`, { description: 'mine now' }],
        ['PATCH', `/endpoints/${endpointId}`, { status: 'disabled' }],
        ['GET', `/endpoints/${endpointId}/secret`],
        ['POST', `/endpoints/${endpointId}/rotate-secret`, {}],
        ['POST', `/endpoints/${endpointId}/test`, {}],
        ['GET', `/endpoints/${endpointId}/deliveries`],
        ['GET', `/endpoints/${endpointId}/deliveries?status=succeeded`],
        ['POST', `/endpoints/${endpointId}/recover`, { since: '2000-01-01T00:00:00.000Z' }],
        ['POST', `/endpoints/${endpointId}/recover`, { since: '2000-01-01T00:00:00.000Z', dryRun: true }],
        ['GET', `/deliveries/${dlvId}`],
        ['POST', `/deliveries/${dlvId}/retry`],
        ['DELETE', `/endpoints/${endpointId}`],
      ];
      const foreign = routes(ep.id, deliveryId);
      const unknown = routes('ep_00000000000000000000000000', 'dlv_00000000000000000000000000');
      for (const [i, [method, path, body]] of foreign.entries()) {
        const res = await stranger.api(method, path, body);
        const control = await stranger.api(unknown[i]![0], unknown[i]![1], unknown[i]![2]);
        expect({ route: `${method} ${path}`, status: res.status }).toEqual({
          route: `${method} ${path}`,
          status: 404,
        });
        expect(res.body).toEqual(control.body);
        expect(JSON.stringify(res.body)).not.toContain(ep.id);
      }
      // The stranger's list shows nothing of the owner's.
      expect((await stranger.api('GET', '/endpoints')).body.data).toEqual([]);

      // Nothing changed for the owner: same endpoint, same secret, no test sent, no retry made.
      const still = await owner.endpoint(ep.id);
      expect(still).toMatchObject({ status: 'enabled', description: '' });
      expect((await owner.api('GET', `/endpoints/${ep.id}/secret`)).body).toEqual({ secret: ep.secret });
      expect(await owner.allDeliveries(ep.id)).toHaveLength(1);
      expect((await owner.delivery(deliveryId)).attempts).toHaveLength(1);
    });

    it('needs webhooks:write to change anything and webhooks:read to look', async () => {
      const reader = await WebhookClient.create(app, 'ws_owner', ['webhooks:read']);
      const forbidden = (res: Res) => {
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      };
      forbidden(await reader.api('POST', '/endpoints', { url: receiver.url('/reader'), events: ['*'] }));
      forbidden(await reader.api('PATCH', `/endpoints/${ep.id}`, { description: 'x' }));
      forbidden(await reader.api('DELETE', `/endpoints/${ep.id}`));
      forbidden(await reader.api('GET', `/endpoints/${ep.id}/secret`));
      forbidden(await reader.api('POST', `/endpoints/${ep.id}/rotate-secret`, {}));
      forbidden(await reader.api('POST', `/endpoints/${ep.id}/test`, {}));
      forbidden(await reader.api('POST', `/deliveries/${deliveryId}/retry`));
      forbidden(
        await reader.api('POST', `/endpoints/${ep.id}/recover`, { since: '2000-01-01T00:00:00.000Z' }),
      );
      // …while reading works.
      expect((await reader.api('GET', '/endpoints')).status).toBe(200);
      expect((await reader.api('GET', `/endpoints/${ep.id}`)).status).toBe(200);
      expect((await reader.api('GET', `/endpoints/${ep.id}/deliveries`)).status).toBe(200);
      expect((await reader.api('GET', `/deliveries/${deliveryId}`)).status).toBe(200);
      expect((await reader.api('GET', '/event-types')).status).toBe(200);

      const tokensOnly = await WebhookClient.create(app, 'ws_owner', ['tokens:read', 'tokens:write']);
      forbidden(await tokensOnly.api('GET', '/endpoints'));
      forbidden(await tokensOnly.api('GET', `/deliveries/${deliveryId}`));

      const anonymous = await http(app.baseUrl, 'GET', '/api/v1/webhooks/endpoints');
      expect(anonymous.status).toBe(401);
      // The admin key is for /admin/v1 only.
      expect(
        (await http(app.baseUrl, 'GET', '/api/v1/webhooks/endpoints', { token: app.adminKey })).status,
      ).toBe(401);
    });

    it('keeps secrets and token plaintext out of the logs and out of the stored attempt headers', async () => {
      const secrets = [ep.secret];
      const other = await owner.createEndpoint(receiver.url('/owner-failing'), ['payment.failed']);
      secrets.push(other.secret);
      receiver.respond({ status: 500, body: 'kaputt' }, '/owner-failing');
      const rotated = await owner.api('POST', `/endpoints/${ep.id}/rotate-secret`, {});
      secrets.push(rotated.body.secret);
      secrets.push((await owner.api('GET', `/endpoints/${ep.id}/secret`)).body.secret);
      const test = await owner.api('POST', `/endpoints/${ep.id}/test`, {});
      const published = await owner.publish('payment.failed', { paymentId: 'pay_logs' });
      const ids = [deliveryId, test.body.deliveryId as string, ...published.deliveryIds];
      const deliveries = [];
      for (const id of ids) deliveries.push(await owner.waitForDelivery(id));
      // Some failures, so the error paths logged too; a rejected credential as well.
      expect(deliveries.some((d) => d.status === 'failed')).toBe(true);
      expect((await http(app.baseUrl, 'GET', '/api/v1/me', { token: `${owner.token}x` })).status).toBe(401);
      await http(app.baseUrl, 'GET', `/api/v1/me?access_token=${owner.token}`);

      const tokens = [owner.token, stranger.token];
      const forbidden = [
        ...secrets,
        ...secrets.map((s) => s.slice('whsec_'.length)),
        ...tokens,
        app.adminKey,
      ];
      const logs = app.logs.join('');
      expect(app.logs.length).toBeGreaterThan(10);
      expect(logs).toContain('/api/v1/webhooks/endpoints'); // the access log is there…
      for (const value of forbidden) expect(logs).not.toContain(value); // …without any credential
      expect(logs).not.toMatch(/whsec_[A-Za-z0-9+/]{20,}/);
      expect(logs).not.toMatch(/wm_[0-9A-Za-z]{30,}/);

      for (const d of deliveries) {
        for (const a of d.attempts) {
          const headers = JSON.stringify(a.requestHeaders);
          for (const value of forbidden) expect(headers).not.toContain(value);
          expect(
            Object.keys(a.requestHeaders)
              .map((k) => k.toLowerCase())
              .sort(),
          ).toEqual(
            [
              'content-length',
              'content-type',
              'user-agent',
              'webhook-id',
              'webhook-signature',
              'webhook-timestamp',
              'x-signature-256',
              'x-webhook-attempt',
              'x-webhook-delivery',
              'x-webhook-event',
            ].sort(),
          );
        }
      }
      // What the subscriber received carries no credential either.
      for (const req of receiver.requests) {
        const raw = JSON.stringify(req.headers) + req.text;
        for (const value of forbidden) expect(raw).not.toContain(value);
        expect(req.headers.authorization).toBeUndefined();
      }
    });
  });
});
