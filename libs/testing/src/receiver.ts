/* eslint-disable @typescript-eslint/no-explicit-any */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { http, type RunningTestApp } from './test-app.js';

/**
 * A real HTTP server on 127.0.0.1 standing in for a webhook subscriber in end-to-end tests: it
 * records every request exactly as it arrived (raw body bytes included, so signatures can be
 * verified the way a subscriber would) and answers as the test scripts it.
 */

/** One request as the subscriber saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Lower-case names, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body bytes exactly as received. */
  rawBody: Buffer;
  /** The body decoded as UTF-8. */
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
  /** Date.now() when the request was complete. */
  receivedAt: number;
}

/** How the receiver answers one request. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer; the connection stays open until the client gives up or the receiver closes. */
  hang?: boolean;
  /** Send the status line, the headers and the start of the body, then never finish it. */
  stall?: boolean;
}

/**
 * Decides the answer to a request; `nth` counts the requests to the same path (1-based), so a
 * script such as "500, 500, then 200" is `(_req, nth) => ({ status: nth < 3 ? 500 : 200 })`.
 */
export type Responder = (request: ReceivedRequest, nth: number) => Reply | number;

/** Answers with the given statuses (or replies) in order, then repeats the last one. */
export function sequence(...replies: Array<Reply | number>): Responder {
  if (replies.length === 0) throw new Error('sequence needs at least one reply');
  return (_request, nth) => replies[Math.min(nth, replies.length) - 1]!;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Every request so far, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** The URL of a path on this receiver (default `/hook`). */
  url(path?: string): string;
  /** Requests to one path, in arrival order. */
  received(path?: string): ReceivedRequest[];
  /** Sets how a path (or, without a path, every path without its own) answers. Default: 200 `ok`. */
  respond(responder: Responder | Reply | number, path?: string): void;
  /** Resolves once `count` requests reached the path (all paths when omitted); rejects after `timeoutMs`. */
  waitForRequests(count: number, options?: { path?: string; timeoutMs?: number }): Promise<ReceivedRequest[]>;
  /** Stops listening and drops every open connection (hung ones included). */
  close(): Promise<void>;
}

export const DEFAULT_PATH = '/hook';

export async function startReceiver(responder: Responder | Reply | number = 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const responders = new Map<string | undefined, Responder>();
  const countByPath = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const toResponder = (r: Responder | Reply | number): Responder => (typeof r === 'function' ? r : () => r);
  responders.set(undefined, toResponder(responder));

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const text = rawBody.toString('utf8');
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headersDistinct)
          .filter((entry): entry is [string, string[]] => entry[1] !== undefined)
          .map(([name, values]) => [name.toLowerCase(), values.join(', ')]),
      );
      const path = req.url ?? '/';
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path,
        headers,
        rawBody,
        text,
        json,
        receivedAt: Date.now(),
      };
      requests.push(request);
      const pathOnly = path.split('?')[0]!;
      const nth = (countByPath.get(pathOnly) ?? 0) + 1;
      countByPath.set(pathOnly, nth);
      let reply: Reply;
      try {
        const chosen = (responders.get(pathOnly) ?? responders.get(undefined)!)(request, nth);
        reply = typeof chosen === 'number' ? { status: chosen } : chosen;
      } catch {
        reply = { status: 599, body: 'responder threw' };
      }
      if (reply.hang) return;
      const answer = (): void => {
        if (res.destroyed || res.writableEnded) return;
        const status = reply.status ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain', ...(reply.headers ?? {}) });
        const body = reply.body ?? (status < 300 ? 'ok' : 'error');
        if (reply.stall) res.write(body);
        else res.end(body);
      };
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, reply.delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const matching = (path?: string) =>
    path === undefined ? requests : requests.filter((r) => r.path.split('?')[0] === path);

  return {
    origin,
    requests,
    url: (path = DEFAULT_PATH) => origin + path,
    received: (path = DEFAULT_PATH) => matching(path),
    respond(r, path) {
      responders.set(path, toResponder(r));
    },
    async waitForRequests(count, options = {}) {
      const found = await waitFor(
        () => (matching(options.path).length >= count ? matching(options.path) : undefined),
        {
          timeoutMs: options.timeoutMs ?? 10_000,
          message: () =>
            `expected ${count} request(s) at ${options.path ?? 'the receiver'}, got ${matching(options.path).length}`,
        },
      );
      return found.slice(0, count);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Polls `probe` until it returns something other than undefined/null/false and returns that
 * value; rejects after `timeoutMs` with `message` (and the last value seen) so failures say why.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string | (() => string) } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const text =
        typeof options.message === 'function' ? options.message() : (options.message ?? 'condition not met');
      throw new Error(
        `waitFor timed out after ${timeoutMs} ms: ${text}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

type HttpResult = Awaited<ReturnType<typeof http>>;

/**
 * The webhook API as a subscriber's workspace uses it, over real HTTP: a token of one workspace
 * plus the admin key for publishing. Keeps the specs about behaviour rather than plumbing.
 */
export class WebhookClient {
  private constructor(
    readonly app: RunningTestApp,
    readonly workspaceId: string,
    readonly token: string,
  ) {}

  /** Creates a token of `workspaceId` (all scopes unless given) through the admin route. */
  static async create(app: RunningTestApp, workspaceId: string, scopes?: string[]): Promise<WebhookClient> {
    return new WebhookClient(app, workspaceId, await createToken(app, workspaceId, scopes));
  }

  /** The same workspace and token against another running app (e.g. after a restart). */
  on(app: RunningTestApp): WebhookClient {
    return new WebhookClient(app, this.workspaceId, this.token);
  }

  api(method: string, path: string, body?: unknown): Promise<HttpResult> {
    return http(this.app.baseUrl, method, `/api/v1/webhooks${path}`, { token: this.token, body });
  }

  async createEndpoint(url: string, events: string[] = ['*'], description?: string): Promise<any> {
    const res = await this.api('POST', '/endpoints', {
      url,
      events,
      ...(description === undefined ? {} : { description }),
    });
    if (res.status !== 201)
      throw new Error(`endpoint not created: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  publishRaw(type: string, data: unknown, idempotencyKey?: string): Promise<HttpResult> {
    return http(this.app.baseUrl, 'POST', `/admin/v1/workspaces/${this.workspaceId}/events`, {
      token: this.app.adminKey,
      body: { type, data, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
    });
  }

  async publish(
    type: string,
    data: unknown,
    idempotencyKey?: string,
  ): Promise<{ eventId: string; deliveryIds: string[] }> {
    const res = await this.publishRaw(type, data, idempotencyKey);
    if (res.status !== 202) throw new Error(`event not published: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async delivery(id: string): Promise<any> {
    const res = await this.api('GET', `/deliveries/${id}`);
    if (res.status !== 200) throw new Error(`delivery ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async endpoint(id: string): Promise<any> {
    const res = await this.api('GET', `/endpoints/${id}`);
    if (res.status !== 200) throw new Error(`endpoint ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Polls the delivery until `until` holds (default: it reached a final status). */
  async waitForDelivery(id: string, until: (d: any) => boolean = isFinal, timeoutMs = 10_000): Promise<any> {
    let last: unknown;
    return waitFor(
      async () => {
        last = await this.delivery(id);
        return until(last) ? last : undefined;
      },
      { timeoutMs, message: () => `delivery ${id} is ${JSON.stringify(last)}` },
    );
  }

  /** Every page of an endpoint's delivery log, following nextCursor. */
  async allDeliveries(endpointId: string, query = '', limit = 200): Promise<any[]> {
    const out: any[] = [];
    let cursor: string | null = null;
    do {
      const qs = new URLSearchParams(query);
      qs.set('limit', String(limit));
      if (cursor) qs.set('cursor', cursor);
      const res = await this.api('GET', `/endpoints/${endpointId}/deliveries?${qs.toString()}`);
      if (res.status !== 200) throw new Error(`delivery list: ${res.status} ${JSON.stringify(res.body)}`);
      out.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  }
}

export function isFinal(d: { status: string }): boolean {
  return d.status === 'succeeded' || d.status === 'failed' || d.status === 'cancelled';
}

export async function createToken(
  app: RunningTestApp,
  workspaceId: string,
  scopes?: string[],
): Promise<string> {
  const res = await http(app.baseUrl, 'POST', `/admin/v1/workspaces/${workspaceId}/tokens`, {
    token: app.adminKey,
    body: { name: 'webhook e2e', userId: 'user_e2e', ...(scopes ? { scopes } : {}) },
  });
  if (res.status !== 201) throw new Error(`token not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}
