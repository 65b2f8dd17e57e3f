/**
 * bench:auth — what authentication costs per request.
 *
 * Starts the whole service in-process on a fresh DATA_DIR, creates an API token through the admin
 * route, then measures with autocannon (keep-alive, in a worker thread so the load generator does
 * not share the server's event loop) the throughput of `GET /health` (no auth) and of
 * `GET /api/v1/me` (bearer token: header parsing, checksum, SHA-256, read-model lookup, scopes),
 * alternating health, me, health, me to even out drift. Prints rps, p50/p99 latency and the
 * ratio me/health (target ≥ 0.8). Exits non-zero if any request was not a 2xx.
 *
 *   npm run bench:auth                      (build, then node dist/bench/auth.bench.js)
 *   BENCH_DURATION_S=10 BENCH_CONNECTIONS=20 BENCH_WARMUP_S=3 BENCH_PAIRS=2 npm run bench:auth
 *
 * On a shared machine the rounds drift; the ratio of each (health, me) pair is printed so the
 * spread is visible, and BENCH_PAIRS=4 gives a steadier mean.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../apps/api/src/create-app.js';

/** The part of autocannon's programmatic API used here (the package ships no type definitions). */
interface Histogram {
  average: number;
  stddev: number;
  p50: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number; sent: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  workers?: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 2);
const TARGET_RATIO = 0.8;

interface Route {
  name: 'health' | 'me';
  path: string;
  headers: Record<string, string>;
}

interface Round {
  route: Route['name'];
  rps: number;
  p50: number;
  p99: number;
  total: number;
  bad: number;
}

async function run(baseUrl: string, route: Route, durationS: number): Promise<Round> {
  const r = await autocannon({
    url: baseUrl + route.path,
    connections: CONNECTIONS,
    duration: durationS,
    pipelining: 1,
    workers: 1,
    headers: route.headers,
  });
  return {
    route: route.name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wm-bench-auth-'));
  const adminKey = `bench-admin-${randomBytes(24).toString('base64url')}`;
  // Production settings; LOG_LEVEL=warn applies to every route alike (the access log is not special-cased).
  const { app } = await createApp({
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PORT: '0',
      ADMIN_API_KEY: adminKey,
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    },
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;

  try {
    const created = await fetch(`${baseUrl}/admin/v1/workspaces/ws_bench/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', userId: 'user_bench' }),
    });
    if (created.status !== 201)
      throw new Error(`creating the bench token answered ${created.status}: ${await created.text()}`);
    const { token } = (await created.json()) as { token: string };
    const check = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    if (check.status !== 200) throw new Error(`GET /api/v1/me with the new token answered ${check.status}`);

    const health: Route = { name: 'health', path: '/health', headers: {} };
    const me: Route = { name: 'me', path: '/api/v1/me', headers: { authorization: `Bearer ${token}` } };

    console.log(`bench:auth — ${new Date().toISOString()}`);
    console.log(
      `node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), ${process.platform}/${process.arch}`,
    );
    console.log(
      `autocannon: ${CONNECTIONS} connections, keep-alive, 1 worker thread, ${DURATION_S} s per round, ${PAIRS} pairs (health, me), ${WARMUP_S} s warm-up per route`,
    );

    // Warm-up: JIT, SQLite page cache, connection pools. Not counted, but non-2xx still fail the run.
    const warm = [await run(baseUrl, health, WARMUP_S), await run(baseUrl, me, WARMUP_S)];

    const rounds: Round[] = [];
    const pairRatios: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const route of [health, me]) {
        const round = await run(baseUrl, route, DURATION_S);
        rounds.push(round);
        console.log(
          `  round ${rounds.length}  ${route.path.padEnd(12)} ${fmt(round.rps).padStart(7)} req/s  p50 ${fmt(round.p50, 1)} ms  p99 ${fmt(round.p99, 1)} ms  (${fmt(round.total)} requests, ${round.bad} non-2xx/errors)`,
        );
      }
      pairRatios.push(rounds[rounds.length - 1]!.rps / rounds[rounds.length - 2]!.rps);
    }

    const summary = (name: Route['name']) => {
      const rs = rounds.filter((r) => r.route === name);
      return {
        rps: mean(rs.map((r) => r.rps)),
        p50: mean(rs.map((r) => r.p50)),
        p99: mean(rs.map((r) => r.p99)),
      };
    };
    const h = summary('health');
    const m = summary('me');
    const ratio = m.rps / h.rps;
    console.log('');
    console.log(`  route          req/s    p50 ms   p99 ms   (mean of ${PAIRS} rounds)`);
    console.log(
      `  GET /health  ${fmt(h.rps).padStart(7)}  ${fmt(h.p50, 1).padStart(7)}  ${fmt(h.p99, 1).padStart(7)}`,
    );
    console.log(
      `  GET /api/v1/me ${fmt(m.rps).padStart(5)}  ${fmt(m.p50, 1).padStart(7)}  ${fmt(m.p99, 1).padStart(7)}`,
    );
    console.log(
      `  ratio me/health = ${ratio.toFixed(3)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
    console.log(`  ratio of each (health, me) pair: ${pairRatios.map((r) => r.toFixed(3)).join(', ')}`);

    const bad = [...warm, ...rounds].reduce((n, r) => n + r.bad, 0);
    if (bad > 0) {
      console.error(`FAIL: ${bad} non-2xx responses, errors or timeouts`);
      return 1;
    }
    return 0;
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
