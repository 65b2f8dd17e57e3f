/**
 * bench:deliveries — what the product costs per webhook delivery, against a bare relay.
 *
 * One process, one session:
 *  1. a local receiver (bench/webhook-receiver.ts: node:http on 127.0.0.1, empty 200 at once,
 *     records the arrival time per event id read from the body);
 *  2. product run: the whole service in-process (createApp, embedded SQLite store, fresh temp
 *     DATA_DIR, NODE_ENV=test, LOG_LEVEL=warn, WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, both roles); a
 *     token from the admin route; ONE endpoint on the receiver subscribed to `payment.succeeded`;
 *     N publishes via `POST /admin/v1/workspaces/{ws}/events` from BENCH_CONCURRENCY keep-alive
 *     publishers (node:http Agent, keepAlive);
 *  3. bare-relay run: bench/bare-relay.ts (node:http, no framework, no storage, same body, same
 *     `buildDeliveryHeaders`, keep-alive forwarding, fire-and-forget with the product's concurrency
 *     bounds 64 overall / 8 per endpoint), same N, same publishers, same receiver;
 *  4. paced runs, on both: BENCH_PACED_N events at a fixed rate (default half the product's
 *     saturated deliveries/s), latency measured from each event's due time — the latency a
 *     subscriber sees when the service is not saturated;
 *  5. fan-out, on both: 100 endpoints (distinct receiver paths) in a second workspace, one event,
 *     time until all 100 deliveries have arrived (BENCH_FANOUT_ROUNDS rounds).
 *
 * Metrics per run: deliveries/s = deliveries received / (last arrival − start of the first
 * publish); latency per event = arrival − start of its publish request (p50/p99); the publish
 * (202) latency; process CPU and event-loop utilisation. A warm-up of BENCH_WARMUP events precedes
 * each saturated run and is not counted. Every signature of a sample delivery per path is checked
 * with plain createHmac. Everything shares one process and the host: other load skews the figures,
 * so the load average is printed at the start and the end.
 *
 * Exit code 0 when every delivery arrived exactly once as expected (all publishes 202, signatures
 * verify, nothing lost or duplicated); 1 otherwise. Missed targets (ratio ≥ 0.3, product p99 of
 * the saturated run ≤ 250 ms) are reported but only fail the run with BENCH_STRICT=1 (exit 2).
 *
 *   npm run bench:deliveries                         (build, then node dist/bench/deliveries.bench.js)
 *   BENCH_N=5000 BENCH_CONCURRENCY=32 BENCH_PACED_RATE=100 npm run bench:deliveries
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof-deliveries dist/bench/deliveries.bench.js
 *   node dist/bench/profile-top.js /tmp/prof-deliveries/*.cpuprofile 40
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../apps/api/src/create-app.js';
import { PublishBackpressure } from '../libs/webhooks/src/index.js';
import { startBareRelay, type RelayTarget } from './bare-relay.js';
import { verifyDelivery, WebhookReceiver } from './webhook-receiver.js';

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

const N = int('BENCH_N', 2000);
const CONCURRENCY = Math.max(1, int('BENCH_CONCURRENCY', 16));
const WARMUP = int('BENCH_WARMUP', 200);
const FANOUT = int('BENCH_FANOUT', 100);
const FANOUT_ROUNDS = int('BENCH_FANOUT_ROUNDS', 3);
const PACED_N = int('BENCH_PACED_N', 500);
/** Events/s of the paced runs; 0 = half the product's saturated deliveries/s. */
const PACED_RATE = int('BENCH_PACED_RATE', 0);
const TIMEOUT_MS = int('BENCH_TIMEOUT_S', 90) * 1000;
const STRICT = process.env.BENCH_STRICT === '1';
const TARGET_RATIO = 0.3;
const TARGET_P99_MS = 250;

const WORKSPACE = 'ws_bench';
const FANOUT_WORKSPACE = 'ws_bench_fanout';
const EVENT_TYPE = 'payment.succeeded';

// ---------------------------------------------------------------------------------------------
// HTTP client: node:http with a keep-alive agent (one socket per publisher).

interface Reply {
  status: number;
  text: string;
}

function request(
  agent: http.Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const req = http.request(url, {
      method,
      agent,
      headers: payload
        ? { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) }
        : headers,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

class Api {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, maxFreeSockets: CONCURRENCY });
  constructor(
    readonly baseUrl: string,
    private readonly adminKey: string,
  ) {}

  async json<T>(method: string, path: string, expected: number, body?: unknown, token?: string): Promise<T> {
    const r = await request(
      this.agent,
      this.baseUrl + path,
      method,
      { authorization: `Bearer ${token ?? this.adminKey}` },
      body === undefined ? undefined : JSON.stringify(body),
    );
    if (r.status !== expected)
      throw new Error(`${method} ${path} answered ${r.status} (expected ${expected}): ${r.text}`);
    return JSON.parse(r.text) as T;
  }

  publish(workspaceId: string, data: unknown): Promise<Reply> {
    return request(
      this.agent,
      `${this.baseUrl}/admin/v1/workspaces/${workspaceId}/events`,
      'POST',
      { authorization: `Bearer ${this.adminKey}` },
      JSON.stringify({ type: EVENT_TYPE, data }),
    );
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface RunResult {
  name: string;
  published: number;
  rejected: number;
  received: number;
  duplicates: number;
  missing: number;
  wallMs: number;
  deliveriesPerS: number;
  p50: number;
  p99: number;
  max: number;
  publishP50: number;
  publishP99: number;
  publishPerS: number;
  /** Process CPU time (user + system) over wall time, from the first publish to the last arrival; 1.0 = one core. */
  cpu: number;
  /**
   * Process CPU time (all threads) per delivery received, ms. Unlike deliveries/s it hardly moves
   * when other processes compete for the cores, so compare the two runs with this on a busy host.
   */
  cpuMsPerDelivery: number;
  /** Event-loop utilisation over the same span. */
  elu: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * N publishes, then waits for every delivery (the receiver is reset first).
 * Saturated (no `ratePerS`): CONCURRENCY closed-loop publishers, each sending the next event as
 * soon as its previous publish was answered — the brief's load; latency then includes any backlog.
 * Paced (`ratePerS`): event i is due at t0 + i/rate and sent then (at most CONCURRENCY publishes
 * outstanding; the agent queues the rest); latency counts from the due time, so a server that
 * falls behind is not flattered (no coordinated omission).
 */
async function measure(
  name: string,
  api: Api,
  receiver: WebhookReceiver,
  n: number,
  ratePerS?: number,
): Promise<RunResult> {
  receiver.reset();
  const startOf = new Map<string, number>();
  const publishMs: number[] = [];
  let rejected = 0;
  let firstError: string | undefined;
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const publishOne = async (i: number, start: number): Promise<void> => {
    let reply: Reply;
    try {
      reply = await api.publish(WORKSPACE, { paymentId: `pay_${i}`, amount: 4200 + i, currency: 'EUR' });
    } catch (error) {
      rejected++;
      firstError ??= String(error);
      return;
    }
    publishMs.push(performance.now() - start);
    if (reply.status !== 202) {
      rejected++;
      firstError ??= `${reply.status} ${reply.text}`;
      return;
    }
    startOf.set((JSON.parse(reply.text) as { eventId: string }).eventId, start);
  };
  if (ratePerS === undefined) {
    let next = 0;
    const publisher = async (): Promise<void> => {
      while (next < n) {
        const i = next++;
        await publishOne(i, performance.now());
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, publisher));
  } else {
    const pending: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const due = t0 + (i * 1000) / ratePerS;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(publishOne(i, due));
    }
    await Promise.all(pending);
  }
  const publishedAt = performance.now();
  const expected = n - rejected;
  const complete = await receiver.waitForDistinct(expected, TIMEOUT_MS);
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0).utilization;
  if (firstError) console.error(`  ${name}: ${rejected} publishes failed, first: ${firstError}`);

  const firstArrival = new Map<string, number>();
  for (const a of receiver.arrivals) if (!firstArrival.has(a.eventId)) firstArrival.set(a.eventId, a.at);
  const latencies: number[] = [];
  let last = t0;
  for (const [eventId, at] of firstArrival) {
    const start = startOf.get(eventId);
    if (start === undefined) continue; // not from this run
    latencies.push(at - start);
    if (at > last) last = at;
  }
  latencies.sort((a, b) => a - b);
  publishMs.sort((a, b) => a - b);
  const wallMs = last - t0;
  if (!complete)
    console.error(
      `  ${name}: only ${latencies.length} of ${expected} deliveries arrived within ${TIMEOUT_MS / 1000} s`,
    );
  return {
    name,
    published: n,
    rejected,
    received: latencies.length,
    duplicates: receiver.arrivals.length - firstArrival.size,
    missing: expected - latencies.length,
    wallMs,
    deliveriesPerS: latencies.length / (wallMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    publishP50: percentile(publishMs, 50),
    publishP99: percentile(publishMs, 99),
    publishPerS: n / ((publishedAt - t0) / 1000),
    cpu: (cpu.user + cpu.system) / 1000 / (performance.now() - t0),
    cpuMsPerDelivery: (cpu.user + cpu.system) / 1000 / latencies.length,
    elu,
  };
}

interface FanoutResult {
  firstMs: number;
  allMs: number;
  received: number;
}

/** Publishes one event to the fan-out workspace and times the arrivals of its deliveries. */
async function fanoutRound(api: Api, receiver: WebhookReceiver, expected: number): Promise<FanoutResult> {
  receiver.reset();
  const start = performance.now();
  const reply = await api.publish(FANOUT_WORKSPACE, { paymentId: 'pay_fanout', amount: 1, currency: 'EUR' });
  if (reply.status !== 202) throw new Error(`fan-out publish answered ${reply.status}: ${reply.text}`);
  const { deliveryIds } = JSON.parse(reply.text) as { deliveryIds: string[] };
  if (deliveryIds.length !== expected)
    throw new Error(`fan-out publish made ${deliveryIds.length} deliveries, expected ${expected}`);
  await receiver.waitForDistinct(expected, TIMEOUT_MS);
  const times = receiver.arrivals.map((a) => a.at - start).sort((a, b) => a - b);
  return {
    firstMs: times[0] ?? NaN,
    allMs: times[times.length - 1] ?? NaN,
    received: new Set(receiver.arrivals.map((a) => a.path)).size,
  };
}

/** Polls until the product has no pending delivery left for the endpoint (attempts recorded). */
async function productSettled(api: Api, token: string, endpointId: string): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < TIMEOUT_MS) {
    const page = await api.json<{ data: unknown[] }>(
      'GET',
      `/api/v1/webhooks/endpoints/${endpointId}/deliveries?status=pending&limit=1`,
      200,
      undefined,
      token,
    );
    if (page.data.length === 0) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`deliveries of ${endpointId} still pending after ${TIMEOUT_MS / 1000} s`);
}

// ---------------------------------------------------------------------------------------------
// Output

const f = (n: number, digits = 1): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
};

function row(r: RunResult): string {
  return [
    r.name.padEnd(14),
    f(r.deliveriesPerS, 0).padStart(9),
    f(r.p50).padStart(9),
    f(r.p99).padStart(9),
    f(r.max).padStart(9),
    f(r.publishPerS, 0).padStart(10),
    `${f(r.publishP50)}/${f(r.publishP99)}`.padStart(14),
    f(r.wallMs / 1000, 2).padStart(7),
    `${r.received}/${r.published - r.rejected}`.padStart(11),
    `${f(r.cpu * 100, 0)}%`.padStart(5),
    `${f(r.elu * 100, 0)}%`.padStart(5),
    f(r.cpuMsPerDelivery, 2).padStart(7),
  ].join(' ');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const problems: string[] = [];
  const receiver = new WebhookReceiver();
  await receiver.start();
  const mainUrl = `${receiver.baseUrl}/hooks/main`;
  const fanUrls = Array.from({ length: FANOUT }, (_, i) => `${receiver.baseUrl}/hooks/fan/${i}`);

  console.log(`bench:deliveries — ${new Date().toISOString()}`);
  console.log(
    `node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), ${process.platform}/${process.arch}; event store: SQLite (embedded); load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `N=${N} events, ${CONCURRENCY} concurrent keep-alive publishers (node:http), warm-up ${WARMUP} events per run, fan-out ${FANOUT} endpoints × ${FANOUT_ROUNDS} rounds`,
  );

  console.log(`read models: ${process.env.MONGO_URL ? 'MongoDB (MONGO_URL)' : 'SQLite (embedded)'}`);
  // ---- product --------------------------------------------------------------------------------
  const dataDir = mkdtempSync(join(tmpdir(), 'wm-bench-deliveries-'));
  const created = await createApp({
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PORT: '0',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      // WEBHOOK_BACKPRESSURE_TARGET_MS=0 npm run bench:deliveries measures without back-pressure.
      ...(process.env.WEBHOOK_BACKPRESSURE_TARGET_MS !== undefined
        ? { WEBHOOK_BACKPRESSURE_TARGET_MS: process.env.WEBHOOK_BACKPRESSURE_TARGET_MS }
        : {}),
      // MONGO_URL=… npm run bench:deliveries measures the MongoDB read models (a fresh database per run).
      ...(process.env.MONGO_URL ? { MONGO_URL: benchMongoUrl(process.env.MONGO_URL) } : {}),
    },
  }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  let product: RunResult;
  let productPaced: RunResult | undefined;
  let pacedRate = PACED_RATE;
  let productSettleMs: number;
  let productHeld = { n: 0, ms: 0 };
  const productFanout: FanoutResult[] = [];
  let secret: string;
  const fanSecrets: string[] = [];
  const adminKey = created.keys.adminApiKey;
  try {
    await created.app.listen(0, '127.0.0.1');
    const { port } = created.app.getHttpServer().address() as { port: number };
    const api = new Api(`http://127.0.0.1:${port}`, adminKey);
    try {
      const { token } = await api.json<{ token: string }>(
        'POST',
        `/admin/v1/workspaces/${WORKSPACE}/tokens`,
        201,
        {
          name: 'bench',
          userId: 'user_bench',
        },
      );
      const endpoint = await api.json<{ id: string; secret: string }>(
        'POST',
        '/api/v1/webhooks/endpoints',
        201,
        { url: mainUrl, events: [EVENT_TYPE], description: 'bench:deliveries' },
        token,
      );
      secret = endpoint.secret;

      if (WARMUP > 0) {
        await measure('warm-up', api, receiver, WARMUP);
        await productSettled(api, token, endpoint.id);
      }
      const backpressure = created.app.get(PublishBackpressure);
      const before = backpressure.stats();
      product = await measure('product', api, receiver, N);
      const after = backpressure.stats();
      productHeld = { n: after.held - before.held, ms: after.heldMs - before.heldMs };
      productSettleMs = await productSettled(api, token, endpoint.id);
      const sample = receiver.samples.get('/hooks/main');
      if (!sample) problems.push('product: no delivery sample');
      else for (const p of verifyDelivery(sample, secret)) problems.push(`product: ${p}`);

      if (PACED_N > 0) {
        pacedRate ||= Math.max(5, Math.round(product.deliveriesPerS / 2));
        productPaced = await measure('product paced', api, receiver, PACED_N, pacedRate);
        await productSettled(api, token, endpoint.id);
      }

      if (FANOUT > 0 && FANOUT_ROUNDS > 0) {
        const fan = await api.json<{ token: string }>(
          'POST',
          `/admin/v1/workspaces/${FANOUT_WORKSPACE}/tokens`,
          201,
          {
            name: 'bench-fanout',
            userId: 'user_bench',
          },
        );
        for (const url of fanUrls) {
          const ep = await api.json<{ secret: string }>(
            'POST',
            '/api/v1/webhooks/endpoints',
            201,
            { url, events: [EVENT_TYPE] },
            fan.token,
          );
          fanSecrets.push(ep.secret);
        }
        for (let r = 0; r < FANOUT_ROUNDS; r++) {
          productFanout.push(await fanoutRound(api, receiver, FANOUT));
          for (let i = 0; i < FANOUT; i++) {
            const s = receiver.samples.get(`/hooks/fan/${i}`);
            const bad = s ? verifyDelivery(s, fanSecrets[i]!) : ['missing'];
            if (bad.length > 0) problems.push(`product fan-out /hooks/fan/${i}: ${bad.join(', ')}`);
          }
        }
      }
    } finally {
      api.close();
    }
  } finally {
    await created.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  // ---- bare relay -----------------------------------------------------------------------------
  const mainTarget: RelayTarget[] = [{ url: mainUrl, secret }];
  const fanTargets: RelayTarget[] = fanUrls.map((url, i) => ({ url, secret: fanSecrets[i]! }));
  const relay = await startBareRelay({
    adminKey,
    targets: (ws, type) =>
      type !== EVENT_TYPE ? [] : ws === WORKSPACE ? mainTarget : ws === FANOUT_WORKSPACE ? fanTargets : [],
  });
  let bare: RunResult;
  let barePaced: RunResult | undefined;
  const relayFanout: FanoutResult[] = [];
  try {
    const api = new Api(relay.baseUrl, adminKey);
    try {
      if (WARMUP > 0) {
        await measure('warm-up', api, receiver, WARMUP);
        await relay.idle();
      }
      bare = await measure('bare relay', api, receiver, N);
      await relay.idle();
      const sample = receiver.samples.get('/hooks/main');
      if (!sample) problems.push('relay: no delivery sample');
      else for (const p of verifyDelivery(sample, secret)) problems.push(`relay: ${p}`);
      if (PACED_N > 0) {
        barePaced = await measure('relay paced', api, receiver, PACED_N, pacedRate);
        await relay.idle();
      }
      if (FANOUT > 0) {
        for (let r = 0; r < FANOUT_ROUNDS; r++) relayFanout.push(await fanoutRound(api, receiver, FANOUT));
        await relay.idle();
      }
    } finally {
      api.close();
    }
  } finally {
    await relay.close();
    await receiver.close();
  }

  // ---- report ---------------------------------------------------------------------------------
  const ratio = product.deliveriesPerS / bare.deliveriesPerS;
  console.log('');
  console.log(
    '  run            deliv/s    p50 ms    p99 ms    max ms  publish/s publish p50/p99 ms  wall s    received   CPU   ELU  CPU ms/delivery',
  );
  console.log(`  ${row(product)}`);
  console.log(`  ${row(bare)}`);
  if (productPaced && barePaced) {
    console.log(`  paced at ${pacedRate} events/s (${PACED_N} events; latency from each event's due time):`);
    console.log(`  ${row(productPaced)}`);
    console.log(`  ${row(barePaced)}`);
  }
  console.log('');
  console.log(
    `  ratio product/relay (deliveries/s) = ${ratio.toFixed(3)}  (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  CPU per delivery: product ${f(product.cpuMsPerDelivery, 2)} ms, relay ${f(bare.cpuMsPerDelivery, 2)} ms → relay/product = ${(bare.cpuMsPerDelivery / product.cpuMsPerDelivery).toFixed(3)} (the throughput ratio a CPU-bound loop would reach on an idle host)`,
  );
  console.log(
    `  product p99 = ${f(product.p99)} ms, relay p99 = ${f(bare.p99)} ms  (target product p99 ≤ ${TARGET_P99_MS} ms: ${product.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  product: ${productHeld.n} of ${N} publish answers held by back-pressure (WEBHOOK_BACKPRESSURE_TARGET_MS), mean hold ${f(productHeld.n ? productHeld.ms / productHeld.n : 0, 1)} ms`,
  );
  console.log(
    `  product: every attempt recorded (no delivery pending) ${f(productSettleMs, 0)} ms after the last arrival was awaited`,
  );
  if (productFanout.length > 0) {
    const show = (rs: FanoutResult[]) =>
      `all ${FANOUT} in ${rs.map((r) => f(r.allMs, 0)).join(' / ')} ms (median ${f(median(rs.map((r) => r.allMs)), 0)}; first after ${f(median(rs.map((r) => r.firstMs)), 1)} ms)`;
    console.log(`  fan-out, 1 event → ${FANOUT} endpoints: product ${show(productFanout)}`);
    console.log(`                                    relay   ${show(relayFanout)}`);
  }

  console.log(
    `  load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other processes on the host skew every figure)`,
  );

  for (const r of [product, bare, productPaced, barePaced]) {
    if (!r) continue;
    if (r.rejected > 0) problems.push(`${r.name}: ${r.rejected} publishes not answered 202`);
    if (r.missing > 0) problems.push(`${r.name}: ${r.missing} deliveries never arrived`);
    if (r.duplicates > 0) problems.push(`${r.name}: ${r.duplicates} duplicate deliveries`);
  }
  for (const [name, rs] of [
    ['product fan-out', productFanout],
    ['relay fan-out', relayFanout],
  ] as const) {
    for (const r of rs)
      if (r.received !== FANOUT) problems.push(`${name}: ${r.received} of ${FANOUT} endpoints reached`);
  }
  if (receiver.malformed > 0) problems.push(`receiver: ${receiver.malformed} malformed bodies`);

  if (problems.length > 0) {
    console.error(`\nFAIL:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const targetsMet = ratio >= TARGET_RATIO && product.p99 <= TARGET_P99_MS;
  console.log(
    `\nOK: every delivery arrived once with valid signatures; targets ${targetsMet ? 'met' : 'NOT met'}.`,
  );
  return STRICT && !targetsMet ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

function benchMongoUrl(base: string): string {
  const url = new URL(base);
  url.pathname = `/wm_bench_${Date.now().toString(36)}`;
  return url.toString();
}
