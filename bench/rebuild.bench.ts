/* Rebuild benchmark: `npm run bench:rebuild` (BENCH_EVENTS, default 1,000,000).
 * Appends a realistic history to the embedded store (tokens, endpoints, and per published event:
 * EventPublished, DeliveryRequested, DeliveryAttempted, DeliverySucceeded), then rebuilds every
 * read model through ReadModels.rebuild() — the code behind POST /admin/v1/projections/rebuild —
 * and prints events/s and peak memory. A baseline run on a quarter of the history, in the same
 * process, shows whether memory grows with history length. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/src/sqlite/sqlite-event-store.js';
import { UpcasterRegistry } from '../libs/event-store/src/upcaster-registry.js';
import { ReadModels } from '../libs/read-store/src/read-models.js';
import { SqliteReadModelSetFactory } from '../libs/runtime/src/sqlite-read-model-set.factory.js';
import { UPCASTERS } from '../libs/runtime/src/upcasters.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);

function seed(store: SqliteEventStore, events: number): void {
  const db = store.database;
  const insert = db.prepare(
    `INSERT INTO events (stream_id, revision, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const meta = JSON.stringify({ actor: { type: 'admin', workspaceId: 'ws_bench' }, correlationId: 'bench' });
  const at = new Date('2026-12-01T00:00:00.000Z').getTime();
  let written = 0;
  const endpoints = 20;
  db.transaction(() => {
    for (let t = 0; t < 10; t++, written++) {
      const tokenId = `tok_${String(t).padStart(26, '0')}`;
      insert.run(`token-${tokenId}`, 0, 'TokenCreated', 1, JSON.stringify({ tokenId, workspaceId: 'ws_bench', userId: 'u', name: `t${t}`, prefix: 'wm_abcd', hash: String(t).padStart(64, '0'), scopes: ['tokens:read'], expiresAt: null, createdAt: new Date(at).toISOString() }), meta, new Date(at).toISOString());
    }
    for (let e = 0; e < endpoints; e++, written++) {
      const endpointId = `ep_${String(e).padStart(26, '0')}`;
      insert.run(`endpoint-${endpointId}`, 0, 'EndpointRegistered', 2, JSON.stringify({ endpointId, workspaceId: 'ws_bench', url: `https://example.com/${e}`, events: ['*'], description: '', secret: 'v1.x.y.z', createdAt: new Date(at).toISOString() }), meta, new Date(at).toISOString());
    }
  })();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const ts = new Date(at + i).toISOString();
      const eventId = `evt_${String(i).padStart(26, '0')}`;
      const deliveryId = `dlv_${String(i).padStart(26, '0')}`;
      const endpointId = `ep_${String(i % endpoints).padStart(26, '0')}`;
      const ids = { deliveryId, endpointId, workspaceId: 'ws_bench' };
      insert.run(`event-${eventId}`, 0, 'EventPublished', 1, JSON.stringify({ eventId, workspaceId: 'ws_bench', eventType: 'payment.succeeded', payload: { amount: i, currency: 'EUR' }, createdAt: ts, test: false, deliveries: [{ deliveryId, endpointId }] }), meta, ts);
      insert.run(`delivery-${deliveryId}`, 0, 'DeliveryRequested', 1, JSON.stringify({ ...ids, eventId, eventType: 'payment.succeeded', requestedAt: ts, nextAttemptAt: ts, test: false, recovered: false }), meta, ts);
      insert.run(`delivery-${deliveryId}`, 1, 'DeliveryAttempted', 1, JSON.stringify({ ...ids, attempt: 1, startedAt: ts, durationMs: 12, requestHeaders: { 'X-Webhook-Attempt': '1' }, responseStatus: 200, responseHeaders: { 'content-length': '2' }, responseBody: 'ok', responseBodyTruncated: false, error: null }), meta, ts);
      insert.run(`delivery-${deliveryId}`, 2, 'DeliverySucceeded', 1, JSON.stringify({ ...ids, attempt: 1, succeededAt: ts }), meta, ts);
    }
  });
  const cycles = Math.ceil((events - written) / 4);
  for (let i = 0; i < cycles; i += 10_000) batch(i, Math.min(cycles, i + 10_000));
}

async function run(events: number): Promise<{ events: number; seconds: number; perSecond: number; peakRssMb: number; peakHeapMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wm-bench-rebuild-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.db'), upcasters: new UpcasterRegistry(UPCASTERS) });
  seed(store, events);
  const head = await store.headPosition();
  const factory = new SqliteReadModelSetFactory(dir, () => {});
  // The live generation is already caught up, so only the rebuild works during the measurement.
  const live = await factory.open(1, { live: true });
  for (const p of live.projections) await live.checkpoints.save(p.name, head);
  await live.close();
  const readModels = new ReadModels(store, factory, (name, error) => console.error(name, error));
  await readModels.start();
  global.gc?.();
  let peakRss = 0;
  let peakHeap = 0;
  // The replay keeps the event loop busy, so memory is sampled at every batch read instead of by a timer.
  const readAll = store.readAll.bind(store);
  store.readAll = async (options) => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    return readAll(options);
  };
  const started = process.hrtime.bigint();
  const progress = await readModels.rebuild();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (progress.status !== 'done' || progress.processed !== head) throw new Error(`rebuild incomplete: ${JSON.stringify(progress)}`);
  const status = await readModels.status();
  if (status.generation !== 2) throw new Error('rebuild did not switch generations');
  await readModels.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { events: head, seconds, perSecond: head / seconds, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
}

async function main(): Promise<void> {
  console.log(`bench:rebuild — embedded SQLite store, node ${process.version}`);
  const baseline = await run(Math.round(TOTAL / 4));
  const full = await run(TOTAL);
  const row = (label: string, r: typeof full) =>
    `${label.padEnd(10)} ${String(r.events).padStart(9)} events  ${r.seconds.toFixed(2).padStart(7)} s  ${Math.round(r.perSecond).toLocaleString('en').padStart(9)} events/s  peak RSS ${r.peakRssMb.toFixed(0)} MB  peak heap ${r.peakHeapMb.toFixed(0)} MB`;
  console.log(row('quarter', baseline));
  console.log(row('full', full));
  console.log(`throughput full/quarter: ${(full.perSecond / baseline.perSecond).toFixed(2)}  peak heap full/quarter: ${(full.peakHeapMb / baseline.peakHeapMb).toFixed(2)} (≈1 = memory does not grow with history)`);
  console.log(`target ≥ 50,000 events/s: ${full.perSecond >= 50_000 ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
