/**
 * Real cross-connection concurrency on one SQLite file. better-sqlite3 is synchronous, so two
 * stores in one thread never truly overlap; the races here run in worker threads, each with its
 * own SqliteEventStore (its own connection), released together by an Atomics barrier.
 *
 * Workers run plain Node, outside jest's module system, so the store's sources (and their imports)
 * are transpiled with swc into a temp directory first.
 */
import { transformSync } from '@swc/core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordedEvent } from '../../../kernel/src/index.js';
import type { Subscription } from '../event-store.port.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const libsDir = join(here, '..', '..', '..');
const betterSqlite3 = pathToFileURL(
  createRequire(join(libsDir, '..', 'package.json')).resolve('better-sqlite3'),
).href;

const WORKERS = 4;
const RACE_ROUNDS = 40;
const ANY_APPENDS_PER_WORKER = 100;

const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from './libs/event-store/src/sqlite/sqlite-event-store.js';

const { filename, worker, gate } = workerData;
const store = new SqliteEventStore({ filename });
const barrier = new Int32Array(gate);

parentPort.on('message', async (message) => {
  if (message.kind === 'close') {
    await store.close();
    parentPort.postMessage({ kind: 'closed' });
    return;
  }
  const { round, streamId, appends } = message;
  parentPort.postMessage({ kind: 'ready', round });
  // Block until the main thread releases every worker at once.
  Atomics.wait(barrier, 0, round - 1);
  const results = [];
  for (const { expected, count } of appends) {
    const events = Array.from({ length: count }, (_, i) => ({ type: 'Raced', data: { worker, round, i } }));
    try {
      const result = await store.append(streamId, events, expected);
      results.push({ ok: true, ...result });
    } catch (error) {
      results.push({
        ok: false,
        className: error?.constructor?.name,
        kind: error?.kind,
        code: error?.code,
        actual: error?.actual,
        message: String(error?.message ?? error),
      });
    }
  }
  parentPort.postMessage({ kind: 'done', round, worker, results });
});
`;

interface AppendOutcome {
  ok: boolean;
  nextExpectedRevision?: number;
  position?: number;
  className?: string;
  kind?: string;
  code?: string;
  actual?: number | 'no_stream';
  message?: string;
}

interface WorkerMessage {
  kind: 'ready' | 'done' | 'closed';
  round?: number;
  worker?: number;
  results?: AppendOutcome[];
}

/** A worker thread plus a queue of the messages it sent, so the test can await them in order. */
class RaceWorker {
  private readonly inbox: WorkerMessage[] = [];
  private readonly waiters: {
    resolve: (message: WorkerMessage) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private failure: unknown;

  constructor(
    readonly worker: Worker,
    readonly index: number,
  ) {
    worker.on('message', (message: WorkerMessage) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(message);
      else this.inbox.push(message);
    });
    const fail = (error: unknown) => {
      this.failure ??= error;
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker ${index} exited with code ${code}`)));
  }

  next(): Promise<WorkerMessage> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

/** Transpiles the store and the modules it imports (relative imports, followed transitively). */
function transpileSources(outDir: string): void {
  const rootDir = join(libsDir, '..');
  const pending = [join(here, 'sqlite-event-store.ts')];
  const done = new Set<string>();
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/from\s+'(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(join(dirname(file), `${specifier}.ts`));
    }
    const { code } = transformSync(source, {
      filename: file,
      jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: false,
    });
    const target = join(outDir, relative(rootDir, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    // The temp directory has no node_modules: point the one native dependency at the project's copy.
    writeFileSync(target, code.replace(/(["'])better-sqlite3\1/g, JSON.stringify(betterSqlite3)));
  }
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(outDir, 'race-worker.mjs'), WORKER_SOURCE);
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SqliteEventStore across connections sharing one file', () => {
  let dir: string;
  let filename: string;
  let gateBuffer: SharedArrayBuffer;
  let gate: Int32Array;
  let round = 0;
  let workers: RaceWorker[] = [];
  let storeA: SqliteEventStore;
  let storeB: SqliteEventStore;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-concurrency-'));
    filename = join(dir, 'events.sqlite');
    const buildDir = join(dir, 'build');
    transpileSources(buildDir);
    // Creates the file and switches it to WAL before anyone races.
    storeA = new SqliteEventStore({ filename, pollIntervalMs: 25 });
    storeB = new SqliteEventStore({ filename, pollIntervalMs: 25 });
    gateBuffer = new SharedArrayBuffer(4);
    gate = new Int32Array(gateBuffer);
    workers = Array.from(
      { length: WORKERS },
      (_, index) =>
        new RaceWorker(
          new Worker(pathToFileURL(join(buildDir, 'race-worker.mjs')), {
            workerData: { filename, worker: index, gate: gateBuffer },
          }),
          index,
        ),
    );
  });

  afterAll(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    for (const w of workers) {
      w.worker.postMessage({ kind: 'close' });
      await w.next().catch(() => undefined);
      await w.worker.terminate();
    }
    await storeA?.close();
    await storeB?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every worker runs `appends` on `streamId`, all released at the same instant. */
  async function race(
    streamId: string,
    appendsFor: (
      worker: number,
    ) => { expected: number | 'no_stream' | 'stream_exists' | 'any'; count: number }[],
  ): Promise<AppendOutcome[][]> {
    round += 1;
    for (const w of workers)
      w.worker.postMessage({ kind: 'race', round, streamId, appends: appendsFor(w.index) });
    for (const w of workers) expect(await w.next()).toMatchObject({ kind: 'ready', round });
    Atomics.store(gate, 0, round);
    Atomics.notify(gate, 0);
    const outcomes: AppendOutcome[][] = [];
    for (const w of workers) {
      const done = await w.next();
      expect(done).toMatchObject({ kind: 'done', round, worker: w.index });
      outcomes[w.index] = done.results!;
    }
    return outcomes;
  }

  it(`has exactly one winner per revision when ${WORKERS} workers race ${RACE_ROUNDS} rounds`, async () => {
    const streamId = `race-${Date.now()}`;
    const seen: RecordedEvent[] = [];
    subscriptions.push(
      storeA.subscribeToAll({ onEvent: (e) => void (e.streamId === streamId && seen.push(e)) }),
    );

    const winners: number[] = [];
    for (let r = 0; r < RACE_ROUNDS; r++) {
      const expected = r === 0 ? 'no_stream' : r - 1;
      const outcomes = (await race(streamId, () => [{ expected, count: 1 }])).map((o) => o[0]!);
      const won = outcomes.flatMap((o, worker) => (o.ok ? [worker] : []));
      expect(won).toHaveLength(1);
      winners.push(won[0]!);
      expect(outcomes[won[0]!]!.nextExpectedRevision).toBe(r);
      for (const lost of outcomes.filter((o) => !o.ok)) {
        expect(lost).toMatchObject({
          className: 'WrongExpectedRevisionError',
          kind: 'conflict',
          code: 'concurrent_modification',
          actual: r,
        });
      }
    }

    const events = await storeB.readStream(streamId);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: RACE_ROUNDS }, (_, i) => i));
    expect(events.map((e) => (e.data as { worker: number }).worker)).toEqual(winners);
    const positions = events.map((e) => e.position);
    expect(new Set(positions).size).toBe(positions.length);
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);

    // Instance A never saw these appends in-process: its subscription found them by polling the file.
    await waitFor('the subscription on instance A', () => seen.length >= RACE_ROUNDS);
    expect(seen.map((e) => e.revision)).toEqual(events.map((e) => e.revision));
    expect(seen.map((e) => e.position)).toEqual(positions);
  });

  it("keeps revisions gapless and batches contiguous when workers append with 'any' at full speed", async () => {
    const streamId = `any-${Date.now()}`;
    // Batches of 1 to 3 events, so a torn batch would show as non-consecutive revisions.
    const batchSize = (worker: number, i: number) => 1 + ((worker + i) % 3);
    const outcomes = await race(streamId, (worker) =>
      Array.from({ length: ANY_APPENDS_PER_WORKER }, (_, i) => ({
        expected: 'any',
        count: batchSize(worker, i),
      })),
    );
    for (const perWorker of outcomes) for (const o of perWorker) expect(o).toMatchObject({ ok: true });

    const total = workers.reduce(
      (sum, w) =>
        sum +
        Array.from({ length: ANY_APPENDS_PER_WORKER }, (_, i) => batchSize(w.index, i)).reduce(
          (a, b) => a + b,
        ),
      0,
    );
    const events = await storeA.readStream(streamId);
    expect(events).toHaveLength(total);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: total }, (_, i) => i));
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.position).toBeGreaterThan(events[i - 1]!.position);

    // Each append's events are adjacent, in order, and the append result names its last event.
    const byAppend = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      const { worker, i } = e.data as { worker: number; i: number };
      const key = `${worker}`;
      const list = byAppend.get(key) ?? [];
      list.push(e);
      byAppend.set(key, list);
      expect(i).toBeLessThan(3);
    }
    for (const w of workers) {
      const mine = byAppend.get(`${w.index}`)!;
      let offset = 0;
      for (let a = 0; a < ANY_APPENDS_PER_WORKER; a++) {
        const size = batchSize(w.index, a);
        const batch = mine.slice(offset, offset + size);
        offset += size;
        expect(batch.map((e) => (e.data as { i: number }).i)).toEqual(
          Array.from({ length: size }, (_, i) => i),
        );
        for (let k = 1; k < batch.length; k++) expect(batch[k]!.revision).toBe(batch[k - 1]!.revision + 1);
        expect(outcomes[w.index]![a]!.nextExpectedRevision).toBe(batch[batch.length - 1]!.revision);
        expect(outcomes[w.index]![a]!.position).toBe(batch[batch.length - 1]!.position);
      }
      expect(offset).toBe(mine.length);
    }
  });

  it('a subscription on instance A sees events appended through instance B, in order, by polling', async () => {
    const streamId = `poll-${Date.now()}`;
    const start = await storeA.headPosition();
    const seen: RecordedEvent[] = [];
    let caughtUp = false;
    subscriptions.push(
      storeA.subscribeToAll({
        after: start,
        onEvent: (e) => void (e.streamId === streamId && seen.push(e)),
        onCaughtUp: () => {
          caughtUp = true;
        },
      }),
    );
    await waitFor('catch-up', () => caughtUp);

    await storeB.append(streamId, [{ type: 'FromB', data: { n: 0 } }], 'no_stream');
    await waitFor('the first event from B', () => seen.length >= 1);
    for (let n = 1; n < 20; n++) await storeB.append(streamId, [{ type: 'FromB', data: { n } }], n - 1);
    await waitFor('all events from B', () => seen.length >= 20);
    expect(seen.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(seen.map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });
});
