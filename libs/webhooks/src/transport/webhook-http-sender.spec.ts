import { verify as verifyGithub } from '@octokit/webhooks-methods';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { AddressResolver } from './guarded-lookup.js';
import { generateWebhookSecret } from './webhook-secret.js';
import { buildDeliveryHeaders } from './webhook-signer.js';
import { WebhookHttpSender, type WebhookSendRequest } from './webhook-http-sender.js';

// A throwaway self-signed certificate for localhost/127.0.0.1, valid 2020–2120, used only here.
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7L0eMuTckgWSDgQU
oH/gMTCzmLYh8XFK87XV9pWsKImhRANCAAQSJMIIPh9dNjS0UBzS4vJwTIagJa86
KQ/tnXgYwWp8kQRFbgj2wTlBVQvJu5dkDud8l18BEGHM8DdmzaTAK5bk
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBZDCCAQqgAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv
c3QwIBcNMjAwMTAxMDAwMDAwWhgPMjEyMDAxMDEwMDAwMDBaMBQxEjAQBgNVBAMM
CWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABBIkwgg+H102NLRQ
HNLi8nBMhqAlrzopD+2deBjBanyRBEVuCPbBOUFVC8m7l2QO53yXXwEQYczwN2bN
pMArluSjSzBJMAwGA1UdEwEB/wQCMAAwGgYDVR0RBBMwEYIJbG9jYWxob3N0hwR/
AAABMB0GA1UdDgQWBBRFij+B+ID9wkU16nq8t9EKMik81jAKBggqhkjOPQQDAgNI
ADBFAiEAtYttbceDn4TGcV6E+qq8ul9CbpVdLgbOGOy3dYVBkSsCIEz8ZqF0Z80C
c3WQB6A8/qnU87VQdxIrNw/vkU7aHZ/z
-----END CERTIFICATE-----`;

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  connections: number;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

const servers: Array<http.Server | https.Server> = [];

/** A real subscriber on 127.0.0.1 that records what it received, then lets `handler` answer. */
async function receiver(handler: Handler, tls = false): Promise<Receiver> {
  const state: Receiver = { url: '', port: 0, requests: [], connections: 0 };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const server = tls
    ? https.createServer({ key: TEST_KEY, cert: TEST_CERT }, onRequest)
    : http.createServer(onRequest);
  server.on(tls ? 'secureConnection' : 'connection', () => state.connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `${tls ? 'https' : 'http'}://127.0.0.1:${state.port}`;
  return state;
}

let sender: WebhookHttpSender;

beforeEach(() => {
  sender = new WebhookHttpSender();
});

afterEach(async () => {
  sender.close();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

const body = Buffer.from('{"id":"evt_1","type":"payment.succeeded","data":{"note":"Grüße 🎉"}}');

function request(url: string, overrides: Partial<WebhookSendRequest> = {}): WebhookSendRequest {
  return {
    url,
    headers: { 'Content-Type': 'application/json' },
    body,
    timeoutMs: 5_000,
    responseBodyLimit: 4096,
    allowPrivateNetworks: true,
    ...overrides,
  };
}

describe('WebhookHttpSender against real local receivers', () => {
  it('POSTs the exact bytes and headers, and records a 200 answer', async () => {
    const secret = generateWebhookSecret();
    const target = await receiver((_req, res) => {
      res.setHeader('X-Answer', 'Yes');
      res.end('thanks');
    });
    const headers = buildDeliveryHeaders({
      deliveryId: 'dlv_1',
      eventType: 'payment.succeeded',
      attempt: 1,
      timestampSeconds: Math.floor(Date.now() / 1000),
      body,
      currentSecret: secret,
      previousSecrets: [],
      userAgentVersion: '0.1.0',
    });
    const before = Date.now();

    const outcome = await sender.send(request(`${target.url}/hooks/in?src=wm`, { headers }));

    expect(outcome).toMatchObject({
      responseStatus: 200,
      responseBody: 'thanks',
      responseBodyTruncated: false,
      error: null,
      retryAfterMs: null,
    });
    expect(outcome.responseHeaders).toMatchObject({ 'x-answer': 'Yes', 'content-length': '6' });
    expect(Object.keys(outcome.responseHeaders!).every((name) => name === name.toLowerCase())).toBe(true);
    expect(Date.parse(outcome.startedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(outcome.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(outcome.durationMs).toBeLessThan(5_000);

    expect(target.requests).toHaveLength(1);
    const got = target.requests[0]!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/hooks/in?src=wm');
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers['content-length']).toBe(String(body.byteLength));
    expect(got.headers['user-agent']).toBe('WhatsMine-Webhooks/0.1.0');
    // The subscriber's own verifiers accept what arrived on the wire.
    const received = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)]));
    await expect(verifyGithub(secret, got.body.toString('utf8'), received['x-signature-256']!)).resolves.toBe(
      true,
    );
    expect(() => new Webhook(secret).verify(got.body, received)).not.toThrow();
  });

  it('records a 500 answer with its body and no error (the status says it all)', async () => {
    const target = await receiver((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const outcome = await sender.send(request(target.url));
    expect(outcome).toMatchObject({
      responseStatus: 500,
      responseBody: 'boom',
      error: null,
      retryAfterMs: null,
    });
  });

  it('does not follow a redirect, keeps its status and headers, and never calls the target', async () => {
    const elsewhere = await receiver((_req, res) => res.end('should not be reached'));
    const target = await receiver((_req, res) => {
      res.writeHead(301, { Location: `${elsewhere.url}/moved` });
      res.end();
    });
    const outcome = await sender.send(request(target.url));
    expect(outcome.error).toBe('redirect not followed');
    expect(outcome.responseStatus).toBe(301);
    expect(outcome.responseHeaders?.location).toBe(`${elsewhere.url}/moved`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('gives up on a server that never answers, near timeoutMs', async () => {
    const target = await receiver(() => undefined);
    const outcome = await sender.send(request(target.url, { timeoutMs: 300 }));
    expect(outcome.error).toBe('timeout');
    expect(outcome.responseStatus).toBeNull();
    expect(outcome.responseBody).toBeNull();
    expect(outcome.durationMs).toBeGreaterThanOrEqual(280);
    expect(outcome.durationMs).toBeLessThan(1_500);
    expect(target.requests).toHaveLength(1);
  });

  it('applies the same single deadline to a body that trickles in forever', async () => {
    const target = await receiver((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const drip = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(drip));
    });
    const outcome = await sender.send(request(target.url, { timeoutMs: 400 }));
    expect(outcome.error).toBe('timeout');
    expect(outcome.responseStatus).toBe(200);
    expect(outcome.responseBody).toMatch(/^\.+$/);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(380);
    expect(outcome.durationMs).toBeLessThan(1_500);
  });

  it('reports a closed port as connection refused', async () => {
    const closed = await receiver(() => undefined);
    const server = servers.pop()!;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const outcome = await sender.send(request(closed.url));
    expect(outcome).toMatchObject({
      error: 'connection refused',
      responseStatus: null,
      responseHeaders: null,
    });
  });

  it('reports a server that hangs up as connection reset', async () => {
    const target = await receiver((req) => req.socket.destroy());
    expect((await sender.send(request(target.url))).error).toBe('connection reset');
  });

  it('reports a body cut short by the server as connection reset, keeping what arrived', async () => {
    const target = await receiver((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('only ten b', () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const outcome = await sender.send(request(target.url));
    expect(outcome).toMatchObject({
      error: 'connection reset',
      responseStatus: 200,
      responseBody: 'only ten b',
    });
  });

  it('keeps only responseBodyLimit bytes of a 1 MB answer', async () => {
    const big = Buffer.alloc(1024 * 1024, 'a');
    big.write('0123456789', 0);
    const target = await receiver((_req, res) => res.end(big));
    const outcome = await sender.send(request(target.url, { responseBodyLimit: 100 }));
    expect(outcome.responseStatus).toBe(200);
    expect(outcome.responseBodyTruncated).toBe(true);
    expect(outcome.responseBody).toHaveLength(100);
    expect(outcome.responseBody).toBe(big.subarray(0, 100).toString());
    expect(outcome.error).toBeNull();
  });

  it('stops reading an endless answer instead of buffering it', async () => {
    let written = 0;
    let hungUp = false;
    const target = await receiver((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        // Respect backpressure, as a real server would: we only write what the client reads.
        while (!res.destroyed && written < 512 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => (hungUp = true));
      pump();
    });
    const outcome = await sender.send(request(target.url, { responseBodyLimit: 1000, timeoutMs: 10_000 }));
    expect(outcome).toMatchObject({ responseStatus: 200, responseBodyTruncated: true, error: null });
    expect(outcome.responseBody).toHaveLength(1000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hungUp).toBe(true);
    expect(written).toBeLessThan(64 * 1024 * 1024); // far less than the 512 MB on offer
  });

  it('does not mark a body of exactly responseBodyLimit bytes as truncated', async () => {
    const target = await receiver((_req, res) => res.end('x'.repeat(100)));
    const outcome = await sender.send(request(target.url, { responseBodyLimit: 100 }));
    expect(outcome).toMatchObject({ responseBodyTruncated: false, error: null });
    expect(outcome.responseBody).toHaveLength(100);
  });

  it('decodes a non-UTF-8 body lossily rather than failing', async () => {
    const target = await receiver((_req, res) => res.end(Buffer.from([0x6f, 0x6b, 0xff, 0xfe])));
    const outcome = await sender.send(request(target.url));
    expect(outcome.responseBody).toBe('ok\ufffd\ufffd');
  });

  it('parses Retry-After on 429 (seconds) and 503 (HTTP-date), and only there', async () => {
    const answers: Array<[number, string | undefined]> = [
      [429, '120'],
      [503, new Date(Date.now() + 60_000).toUTCString()],
      [500, '120'],
      [429, undefined],
    ];
    const target = await receiver((_req, res) => {
      const [status, retryAfter] = answers[target.requests.length - 1]!;
      if (retryAfter !== undefined) res.setHeader('Retry-After', retryAfter);
      res.statusCode = status;
      res.end();
    });
    const results = [];
    for (let i = 0; i < answers.length; i++) results.push(await sender.send(request(target.url)));
    expect(results.map((r) => r.responseStatus)).toEqual([429, 503, 500, 429]);
    expect(results[0]!.retryAfterMs).toBe(120_000);
    expect(results[1]!.retryAfterMs).toBeGreaterThan(55_000);
    expect(results[1]!.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(results[2]!.retryAfterMs).toBeNull();
    expect(results[3]!.retryAfterMs).toBeNull();
    expect(results[0]!.responseHeaders?.['retry-after']).toBe('120');
  });

  it('lower-cases response header names and joins repeated values with ", "', async () => {
    const target = await receiver((_req, res) => {
      res.setHeader('X-Multi', ['a', 'b']);
      res.setHeader('Set-Cookie', ['c=1', 'd=2']);
      res.end();
    });
    const outcome = await sender.send(request(target.url));
    expect(outcome.responseHeaders).toMatchObject({ 'x-multi': 'a, b', 'set-cookie': 'c=1, d=2' });
  });

  it('reuses a kept-alive connection for consecutive attempts', async () => {
    const target = await receiver((_req, res) => res.end('ok'));
    await sender.send(request(target.url));
    await sender.send(request(target.url));
    expect(target.requests).toHaveLength(2);
    expect(target.connections).toBe(1);
  });
});

describe('WebhookHttpSender refusing private networks', () => {
  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/`],
    ['decimal 2130706433', (port: number) => `http://2130706433:${port}/`],
    ['short 127.1', (port: number) => `http://127.1:${port}/`],
    ['IPv4-mapped [::ffff:127.0.0.1]', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['localhost (system resolver)', (port: number) => `http://localhost:${port}/`],
  ])('refuses %s and the server never sees a request', async (_name, url) => {
    const target = await receiver((_req, res) => res.end('should not be reached'));
    const outcome = await sender.send(request(url(target.port), { allowPrivateNetworks: false }));
    expect(outcome).toMatchObject({
      error: 'private address refused',
      responseStatus: null,
      responseBody: null,
    });
    expect(target.requests).toHaveLength(0);
    expect(target.connections).toBe(0);
  });

  it('checks names at connect time: a name resolving to loopback is refused, or reached when allowed', async () => {
    const resolver: AddressResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const guarded = new WebhookHttpSender({ resolver });
    try {
      const target = await receiver((_req, res) => res.end('ok'));
      const url = `http://hooks.customer.test:${target.port}/`;
      expect((await guarded.send(request(url, { allowPrivateNetworks: false }))).error).toBe(
        'private address refused',
      );
      expect(target.requests).toHaveLength(0);
      const allowed = await guarded.send(request(url, { allowPrivateNetworks: true }));
      expect(allowed).toMatchObject({ responseStatus: 200, error: null });
      expect(target.requests[0]!.headers.host).toBe(`hooks.customer.test:${target.port}`);
    } finally {
      guarded.close();
    }
  });

  it('does not let a private-allowed pooled connection serve a public-only attempt', async () => {
    const target = await receiver((_req, res) => res.end('ok'));
    expect((await sender.send(request(target.url, { allowPrivateNetworks: true }))).error).toBeNull();
    expect((await sender.send(request(target.url, { allowPrivateNetworks: false }))).error).toBe(
      'private address refused',
    );
    expect(target.requests).toHaveLength(1);
  });
});

describe('WebhookHttpSender failure kinds', () => {
  it('reports a name that does not resolve as dns failure', async () => {
    for (const allowPrivateNetworks of [true, false]) {
      const outcome = await sender.send(request('http://no-such-host.invalid/', { allowPrivateNetworks }));
      expect(outcome.error).toBe('dns failure');
    }
  });

  it('reports https to a plain-http port as tls error', async () => {
    const target = await receiver((_req, res) => res.end('ok'));
    const outcome = await sender.send(request(`https://127.0.0.1:${target.port}/`));
    expect(outcome.error).toBe('tls error');
    expect(target.requests).toHaveLength(0);
  });

  it('reports an untrusted certificate as tls error, and delivers over https once it is trusted', async () => {
    const target = await receiver((_req, res) => res.end('secure ok'), true);
    expect((await sender.send(request(target.url))).error).toBe('tls error');
    expect(target.requests).toHaveLength(0);

    const trusting = new WebhookHttpSender({ extraCaCertificates: [TEST_CERT] });
    try {
      const outcome = await trusting.send(request(target.url));
      expect(outcome).toMatchObject({ responseStatus: 200, responseBody: 'secure ok', error: null });
      expect(target.requests[0]!.body.equals(body)).toBe(true);
    } finally {
      trusting.close();
    }
  });

  it('answers an unusable URL with an outcome, not an exception', async () => {
    expect((await sender.send(request('not a url'))).error).toBe('invalid url');
    expect((await sender.send(request('ftp://example.com/'))).error).toBe('invalid url');
  });

  it('rejects only for programmer errors', async () => {
    await expect(sender.send(request('http://127.0.0.1:9/', { timeoutMs: 0 }))).rejects.toThrow(RangeError);
    await expect(sender.send(request('http://127.0.0.1:9/', { responseBodyLimit: -1 }))).rejects.toThrow(
      RangeError,
    );
    await expect(
      sender.send(request('http://127.0.0.1:9/', { headers: { 'content-length': '1' } })),
    ).rejects.toThrow(/Content-Length/);
    await expect(
      sender.send(
        request('http://127.0.0.1:9/', { headers: { 'X-Bad': 'a\r\nInjected: yes' }, timeoutMs: 50 }),
      ),
    ).rejects.toThrow(/Invalid character/);
    // No deadline timer was left armed behind the failed call (it would crash the process here).
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});
