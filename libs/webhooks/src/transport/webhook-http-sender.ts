import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import { createGuardedLookup, type AddressResolver } from './guarded-lookup.js';
import { describeNetworkError } from './network-error.js';
import { isPrivateAddress } from './private-address.js';
import { parseRetryAfterMs } from './retry-after.js';
import { hostOf } from './webhook-url-policy.js';

export interface WebhookSendRequest {
  url: string;
  /** Sent as given; `Content-Length` is added when missing. */
  headers: Record<string, string>;
  body: Buffer;
  /** One deadline for DNS + connect + TLS + response headers + response body. */
  timeoutMs: number;
  /** Bytes of the answer kept; the rest is never read. */
  responseBodyLimit: number;
  allowPrivateNetworks: boolean;
}

/** What one HTTP attempt produced, in the shape of the contract's attempt object. */
export interface AttemptOutcome {
  /** ISO-8601 UTC. */
  startedAt: string;
  durationMs: number;
  responseStatus: number | null;
  /** Lower-case names; repeated headers joined with ", ". */
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  /** "timeout", "connection refused", "redirect not followed", …; null for any complete answer. */
  error: string | null;
  /** From `Retry-After`, only on 429 and 503. */
  retryAfterMs: number | null;
}

export interface WebhookHttpSenderOptions {
  /** Concurrent connections per origin, so one endpoint cannot take every socket. Default 64. */
  maxSockets?: number;
  /** DNS resolution, checked by the guarded lookup; swappable in tests. */
  resolver?: AddressResolver;
  /** Certificates trusted in addition to Node's bundled roots (private PKI, tests). */
  extraCaCertificates?: string[];
}

const REDIRECT_ERROR = 'redirect not followed';

/**
 * POSTs one webhook attempt. Never throws for anything the network or the subscriber does:
 * every failure becomes an `AttemptOutcome` with a short `error`, so the caller can record it.
 *
 * Deliberate choices: redirects are never followed (a redirect could point anywhere, including
 * inside our network); a single deadline covers the whole exchange so a slow-drip server cannot
 * hold a worker; at most `responseBodyLimit` bytes of the answer are ever buffered; private
 * addresses are refused both for IP literals (checked here, Node skips `lookup` for them) and for
 * names (checked in the agents' connect-time lookup, defeating DNS rebinding).
 */
export class WebhookHttpSender {
  /** Keep-alive agents, one per scheme and private-network policy, so pools never mix policies. */
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly options: WebhookHttpSenderOptions = {}) {}

  async send(request: WebhookSendRequest): Promise<AttemptOutcome> {
    assertWellFormed(request);
    const requestHeaders = withContentLength(request.headers, request.body);
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const outcome = (partial: Partial<AttemptOutcome>): AttemptOutcome => ({
      startedAt,
      durationMs: Math.round(performance.now() - started),
      responseStatus: null,
      responseHeaders: null,
      responseBody: null,
      responseBodyTruncated: false,
      error: null,
      retryAfterMs: null,
      ...partial,
    });

    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return outcome({ error: 'invalid url' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return outcome({ error: 'invalid url' });
    }
    const host = hostOf(url);
    if (!request.allowPrivateNetworks && isIP(host) !== 0 && isPrivateAddress(host)) {
      return outcome({ error: 'private address refused' });
    }

    return new Promise<AttemptOutcome>((resolve) => {
      let settled = false;
      let status: number | null = null;
      let headers: Record<string, string> | null = null;
      let retryAfterMs: number | null = null;
      const chunks: Buffer[] = [];
      let received = 0;
      let truncated = false;

      const finish = (error: string | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(
          outcome({
            responseStatus: status,
            responseHeaders: headers,
            responseBody: status === null ? null : Buffer.concat(chunks).toString('utf8'),
            responseBodyTruncated: truncated,
            error,
            retryAfterMs,
          }),
        );
      };

      const req = (url.protocol === 'https:' ? https : http).request({
        method: 'POST',
        protocol: url.protocol,
        hostname: host,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers: requestHeaders,
        agent: this.agentFor(url.protocol, request.allowPrivateNetworks),
      });

      // Armed in the same tick the request is created (before its DNS lookup starts), so DNS,
      // connect and TLS count against it too. After `request()`, so a synchronous throw there
      // (a programmer error such as an invalid header) leaves no timer behind.
      const deadline = setTimeout(() => {
        finish('timeout');
        req.destroy();
      }, request.timeoutMs);

      req.on('error', (error) => finish(describeNetworkError(error)));
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        headers = joinHeaders(res.headersDistinct);
        if (status === 429 || status === 503) retryAfterMs = parseRetryAfterMs(headers['retry-after']);
        const answerError = status >= 300 && status < 400 ? REDIRECT_ERROR : null;

        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = request.responseBodyLimit - received;
          if (chunk.length <= room) {
            chunks.push(chunk);
            received += chunk.length;
            return;
          }
          // More than we keep: take what fits and hang up, so the rest is never transferred or buffered.
          if (room > 0) chunks.push(chunk.subarray(0, room));
          received = request.responseBodyLimit;
          truncated = true;
          finish(answerError);
          req.destroy();
        });
        res.on('end', () => finish(answerError));
        res.on('error', (error) => finish(describeNetworkError(error)));
        // Safety net: a response that closes without 'end' or 'error' must still settle the attempt.
        res.on('close', () => finish('connection reset'));
      });

      req.end(request.body);
    });
  }

  /** Closes pooled connections; for shutdown and tests. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(protocol: string, allowPrivateNetworks: boolean): http.Agent {
    const key = `${protocol}${allowPrivateNetworks ? 'private-allowed' : 'public-only'}`;
    let agent = this.agents.get(key);
    if (agent === undefined) {
      const options: https.AgentOptions = {
        keepAlive: true,
        maxSockets: this.options.maxSockets ?? 64,
        maxFreeSockets: 8,
        scheduling: 'lifo', // reuse the warmest socket, let the others idle out
        lookup: createGuardedLookup(allowPrivateNetworks, this.options.resolver),
      };
      if (protocol === 'https:' && this.options.extraCaCertificates?.length) {
        options.ca = [...rootCertificates, ...this.options.extraCaCertificates];
      }
      agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(key, agent);
    }
    return agent;
  }
}

function assertWellFormed(request: WebhookSendRequest): void {
  if (!Buffer.isBuffer(request.body)) throw new TypeError('body must be a Buffer');
  if (!Number.isFinite(request.timeoutMs) || request.timeoutMs <= 0)
    throw new RangeError('timeoutMs must be > 0');
  if (!Number.isSafeInteger(request.responseBodyLimit) || request.responseBodyLimit < 0) {
    throw new RangeError('responseBodyLimit must be a non-negative integer');
  }
}

/** A Content-Length that disagrees with the body would make the receiver wait or cut the body. */
function withContentLength(headers: Record<string, string>, body: Buffer): Record<string, string> {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'content-length');
  if (name === undefined) return { ...headers, 'Content-Length': String(body.byteLength) };
  if (headers[name] !== String(body.byteLength)) {
    throw new Error(`Content-Length ${headers[name]} does not match the body's ${body.byteLength} bytes`);
  }
  return headers;
}

function joinHeaders(distinct: NodeJS.Dict<string[]>): Record<string, string> {
  // fromEntries defines own properties, so even a header named "__proto__" is kept as data.
  return Object.fromEntries(
    Object.entries(distinct)
      .filter((entry): entry is [string, string[]] => entry[1] !== undefined)
      .map(([name, values]) => [name.toLowerCase(), values.join(', ')]),
  );
}
