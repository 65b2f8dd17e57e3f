/**
 * The subscriber side of bench:deliveries: a bare node:http server on 127.0.0.1 that answers every
 * POST with an empty 200 at once and records, per delivery, when it arrived (performance.now()),
 * the event id read from the JSON body and the path it was sent to. The first delivery per path
 * keeps its raw body and headers, so the bench can check the signatures independently.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface Arrival {
  eventId: string;
  path: string;
  /** performance.now() when the whole body had arrived. */
  at: number;
}

export interface Sample {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface Waiter {
  done: (arrivals: Arrival[]) => boolean;
  resolve: () => void;
}

export class WebhookReceiver {
  readonly arrivals: Arrival[] = [];
  readonly samples = new Map<string, Sample>();
  /** Requests whose body was not JSON with a string `id`. */
  malformed = 0;
  private readonly waiters = new Set<Waiter>();
  private server?: http.Server;
  private port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = performance.now();
        res.writeHead(200, { 'content-length': '0' });
        res.end();
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        let eventId: unknown;
        try {
          eventId = (JSON.parse(body.toString('utf8')) as { id?: unknown }).id;
        } catch {
          eventId = undefined;
        }
        if (typeof eventId !== 'string') {
          this.malformed++;
          return;
        }
        const path = req.url ?? '/';
        this.arrivals.push({ eventId, path, at });
        if (!this.samples.has(path)) this.samples.set(path, { path, headers: req.headers, body });
        for (const w of this.waiters) {
          if (w.done(this.arrivals)) {
            this.waiters.delete(w);
            w.resolve();
          }
        }
      });
    });
    this.server.headersTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Forgets every arrival and sample (between runs); `malformed` keeps counting. */
  reset(): void {
    this.arrivals.length = 0;
    this.samples.clear();
  }

  /**
   * Resolves true once `done(arrivals)` holds (checked after every arrival), false after
   * `timeoutMs`. `done` should be cheap: keep a counter in its closure rather than rescanning.
   */
  waitUntil(done: (arrivals: Arrival[]) => boolean, timeoutMs: number): Promise<boolean> {
    if (done(this.arrivals)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        done,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves true once `count` distinct (event id, path) pairs have arrived since the last reset. */
  waitForDistinct(count: number, timeoutMs: number): Promise<boolean> {
    const seen = new Set<string>();
    let scanned = 0;
    return this.waitUntil((arrivals) => {
      for (; scanned < arrivals.length; scanned++)
        seen.add(`${arrivals[scanned]!.eventId} ${arrivals[scanned]!.path}`);
      return seen.size >= count;
    }, timeoutMs);
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/**
 * Checks both signature schemes of one received delivery against `secret`, with plain
 * createHmac (not the service's signer), as a subscriber would. Returns the problems found.
 */
export function verifyDelivery(sample: Sample, secret: string, maxSkewS = 300): string[] {
  const problems: string[] = [];
  const h = sample.headers;
  const header = (name: string): string => {
    const v = h[name];
    return Array.isArray(v) ? v.join(', ') : (v ?? '');
  };
  const same = (a: string, b: string): boolean =>
    a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  const github = `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(sample.body).digest('hex')}`;
  if (!same(header('x-signature-256'), github)) problems.push('X-Signature-256 does not verify');

  const id = header('webhook-id');
  const ts = header('webhook-timestamp');
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(sample.body).digest('base64');
  const sigs = header('webhook-signature')
    .split(' ')
    .map((s) => s.replace(/^v1,/, ''));
  if (!sigs.some((s) => same(s, expected))) problems.push('webhook-signature does not verify');
  if (Math.abs(Date.now() / 1000 - Number(ts)) > maxSkewS) problems.push(`webhook-timestamp ${ts} is off`);
  if (header('x-webhook-delivery') !== id || !id.startsWith('dlv_'))
    problems.push('delivery id headers disagree');
  if (header('x-webhook-attempt') !== '1')
    problems.push(`X-Webhook-Attempt is ${header('x-webhook-attempt')}`);
  if (!header('user-agent').startsWith('WhatsMine-Webhooks/')) problems.push('User-Agent missing');
  if (header('content-type') !== 'application/json') problems.push('Content-Type is not application/json');
  return problems;
}
