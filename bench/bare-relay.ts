/**
 * The baseline of bench:deliveries: the least a webhook relay must do, with no framework, no
 * storage, no retries and no delivery log. It accepts the product's publish request
 * (`POST /admin/v1/workspaces/{workspaceId}/events`, admin bearer key, `{type, data}`), builds the
 * same delivery body as the product (`{id, type, createdAt, workspaceId, data}`), signs it with the
 * product's own `buildDeliveryHeaders` and POSTs it to every target of the workspace through a
 * keep-alive agent.
 *
 * Forwarding is fire-and-forget, like the product's asynchronous delivery: the publish request is
 * answered 202 `{eventId, deliveryIds}` as soon as the deliveries are queued, before any is sent.
 * Sending is bounded like the product's dispatcher defaults: at most `maxInFlight` (64) requests
 * in flight overall and `maxInFlightPerTarget` (8) per target (WEBHOOK_MAX_CONCURRENCY and
 * WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT); the rest waits in a FIFO per target. Each delivery is
 * signed when it leaves the queue (the product signs at attempt time too).
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId } from '../libs/kernel/src/ids.js';
import { buildDeliveryHeaders } from '../libs/webhooks/src/transport/webhook-signer.js';

export interface RelayTarget {
  url: string;
  secret: string;
}

export interface BareRelayOptions {
  adminKey: string;
  /** The endpoints subscribed to `eventType` in `workspaceId` (the product keeps these in its read model). */
  targets: (workspaceId: string, eventType: string) => RelayTarget[];
  maxInFlight?: number;
  maxInFlightPerTarget?: number;
  maxBodyBytes?: number;
}

export interface BareRelay {
  baseUrl: string;
  stats: { accepted: number; sent: number; failed: number };
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Job {
  target: RelayTarget;
  deliveryId: string;
  eventType: string;
  body: Buffer;
}

interface Lane {
  url: URL;
  queue: Job[];
  head: number;
  inFlight: number;
}

const ROUTE = /^\/admin\/v1\/workspaces\/([A-Za-z0-9_-]{1,100})\/events\/?$/;
const USER_AGENT_VERSION = '0.1.0';

export async function startBareRelay(options: BareRelayOptions): Promise<BareRelay> {
  const maxInFlight = options.maxInFlight ?? 64;
  const perTarget = options.maxInFlightPerTarget ?? 8;
  const maxBodyBytes = options.maxBodyBytes ?? 262_144 + 16 * 1024;
  const expectedAuth = Buffer.from(`Bearer ${options.adminKey}`);
  // Like the product's WebhookHttpSender: one keep-alive pool, maxSockets per origin = the global bound.
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: maxInFlight,
    maxFreeSockets: 8,
    scheduling: 'lifo',
  });
  const lanes = new Map<string, Lane>();
  const stats = { accepted: 0, sent: 0, failed: 0 };
  let inFlight = 0;
  let queued = 0;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = (): void => {
    if (inFlight > 0 || queued > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const pump = (lane: Lane): void => {
    while (lane.inFlight < perTarget && inFlight < maxInFlight && lane.head < lane.queue.length) {
      const job = lane.queue[lane.head]!;
      lane.queue[lane.head++] = undefined as unknown as Job;
      if (lane.head === lane.queue.length) {
        lane.queue.length = 0;
        lane.head = 0;
      }
      queued--;
      send(lane, job);
    }
  };

  const send = (lane: Lane, job: Job): void => {
    lane.inFlight++;
    inFlight++;
    const headers = buildDeliveryHeaders({
      deliveryId: job.deliveryId,
      eventType: job.eventType,
      attempt: 1,
      timestampSeconds: Math.floor(Date.now() / 1000),
      body: job.body,
      currentSecret: job.target.secret,
      previousSecrets: [],
      userAgentVersion: USER_AGENT_VERSION,
    });
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      if (ok) stats.sent++;
      else stats.failed++;
      lane.inFlight--;
      inFlight--;
      pump(lane);
      // A global slot came free: other lanes may be waiting for one.
      if (inFlight < maxInFlight) for (const other of lanes.values()) if (other !== lane) pump(other);
      settleIdle();
    };
    const req = http.request({
      method: 'POST',
      hostname: lane.url.hostname,
      port: lane.url.port,
      path: `${lane.url.pathname}${lane.url.search}`,
      headers,
      agent,
      timeout: 15_000,
    });
    req.on('response', (res) => {
      res.on('data', () => undefined);
      res.on('end', () => finish((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
      res.on('error', () => finish(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => finish(false));
    req.end(job.body);
  };

  const enqueue = (job: Job): void => {
    let lane = lanes.get(job.target.url);
    if (!lane) {
      lane = { url: new URL(job.target.url), queue: [], head: 0, inFlight: 0 };
      lanes.set(job.target.url, lane);
    }
    lane.queue.push(job);
    queued++;
    pump(lane);
  };

  const answer = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const error = (res: http.ServerResponse, status: number, reason: string, message: string): void =>
    answer(res, status, { statusCode: status, error: reason, message });

  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const match = req.method === 'POST' ? ROUTE.exec(req.url ?? '') : null;
    if (!match) return error(res, 404, 'Not Found', 'No such route.');
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expectedAuth.length || !timingSafeEqual(auth, expectedAuth)) {
      res.setHeader('www-authenticate', 'Bearer realm="whatsmine"');
      return error(res, 401, 'Unauthorized', 'Admin key required.');
    }
    const workspaceId = match[1]!;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return error(res, 413, 'Payload Too Large', 'Body too large.');
      let input: { type?: unknown; data?: unknown };
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof input;
      } catch {
        return error(res, 400, 'Bad Request', 'Body is not JSON.');
      }
      if (
        typeof input?.type !== 'string' ||
        typeof input.data !== 'object' ||
        input.data === null ||
        Array.isArray(input.data)
      ) {
        return error(res, 400, 'Bad Request', 'type (string) and data (object) are required.');
      }
      const eventId = newId('evt');
      // Same bytes as the product's deliveryBody(): key order id, type, createdAt, workspaceId, data.
      const body = Buffer.from(
        JSON.stringify({
          id: eventId,
          type: input.type,
          createdAt: new Date().toISOString(),
          workspaceId,
          data: input.data,
        }),
        'utf8',
      );
      const deliveryIds: string[] = [];
      for (const target of options.targets(workspaceId, input.type)) {
        const deliveryId = newId('dlv');
        deliveryIds.push(deliveryId);
        enqueue({ target, deliveryId, eventType: input.type, body });
      }
      stats.accepted++;
      answer(res, 202, { eventId, deliveryIds });
    });
  });
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stats,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
