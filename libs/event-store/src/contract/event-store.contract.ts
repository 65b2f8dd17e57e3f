import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../../kernel/src/index.js';
import type { AppendResult, EventStore, ExpectedRevision, Subscription } from '../event-store.port.js';
import { UpcasterRegistry } from '../upcaster-registry.js';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error.js';

/** What a contract run needs from an adapter: a store, and a way to get rid of it afterwards. */
export interface EventStoreContractFixture {
  store: EventStore;
  cleanup(): Promise<void>;
}

/**
 * Opens a store (called before every test, and again by the upcasting cases with `upcasters`, which
 * the adapter must apply on every read). All stores a factory opens must see the same data (one
 * file, one server): the upcasting cases append through one and read through another. The data may
 * also be shared with other tests or processes (EventStoreDB), so the cases only ever look at their
 * own, randomly named streams and never assume an empty store.
 */
export type EventStoreContractFactory = (upcasters?: UpcasterRegistry) => Promise<EventStoreContractFixture>;

export interface EventStoreContractOptions {
  /** When set, the whole suite is skipped and one visible skipped test says why. */
  skipReason?: string;
}

const WAIT_TIMEOUT_MS = 10_000;

/** A fresh `<category>-<id>` stream name nobody else uses (the store may be shared). */
function newStreamId(): string {
  return `contractTest-${randomUUID()}`;
}

function event(type: string, data: Record<string, unknown>, metadata?: EventMetadata): NewEvent {
  return metadata ? { type, data, metadata } : { type, data };
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectConflict(
  attempt: Promise<AppendResult>,
  streamId: string,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): Promise<void> {
  const error: unknown = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  const conflict = error as WrongExpectedRevisionError;
  expect(conflict.kind).toBe('conflict');
  expect(conflict.code).toBe('concurrent_modification');
  expect(conflict.streamId).toBe(streamId);
  expect(conflict.expected).toBe(expected);
  expect(conflict.actual).toBe(actual);
}

function expectStrictlyIncreasing(values: number[]): void {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]!);
}

/**
 * The behaviour every EventStore adapter must share, as a jest suite. Call it from an adapter's
 * `*.int-spec.ts`: `eventStoreContract('sqlite', async (upcasters) => ({ store, cleanup }))`.
 */
export function eventStoreContract(
  adapterName: string,
  factory: EventStoreContractFactory,
  options: EventStoreContractOptions = {},
): void {
  const { skipReason } = options;
  const suiteName = `EventStore contract [${adapterName}]`;
  if (skipReason) {
    // Jest prints nothing at all for a file whose tests are all skipped (not even its console):
    // this todo keeps the file, and the reason, in the output.
    it.todo(`${suiteName} needs its backing service: ${skipReason}`);
    // eslint-disable-next-line no-console
    console.warn(`${suiteName} skipped: ${skipReason}`);
  }
  const describeOrSkip = skipReason ? describe.skip : describe;

  describeOrSkip(suiteName, () => {
    if (skipReason) it.skip(`skipped: ${skipReason}`, () => undefined);

    let fixture: EventStoreContractFixture | undefined;
    let store: EventStore;
    const extraFixtures: EventStoreContractFixture[] = [];
    const subscriptions: Subscription[] = [];

    /** A second store, e.g. with upcasters; cleaned up after the test. */
    async function openStore(upcasters?: UpcasterRegistry): Promise<EventStore> {
      const extra = await factory(upcasters);
      extraFixtures.push(extra);
      return extra.store;
    }

    function track(subscription: Subscription): Subscription {
      subscriptions.push(subscription);
      return subscription;
    }

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      for (const extra of extraFixtures.splice(0)) await extra.cleanup();
      await fixture?.cleanup();
      fixture = undefined;
    });

    describe('append', () => {
      it("appends the first event of a new stream with 'no_stream' at revision 0", async () => {
        const streamId = newStreamId();
        const result = await store.append(streamId, [event('Created', { n: 0 })], 'no_stream');
        expect(result.nextExpectedRevision).toBe(0);
        expect(result.position).toBeGreaterThan(0);
        const [stored] = await store.readStream(streamId);
        expect(stored!.revision).toBe(0);
        expect(stored!.position).toBe(result.position);
      });

      it('gives several events consecutive revisions and strictly increasing positions', async () => {
        const streamId = newStreamId();
        const first = await store.append(
          streamId,
          [event('A', { n: 0 }), event('B', { n: 1 }), event('C', { n: 2 })],
          'no_stream',
        );
        expect(first.nextExpectedRevision).toBe(2);
        const second = await store.append(streamId, [event('D', { n: 3 }), event('E', { n: 4 })], 2);
        expect(second.nextExpectedRevision).toBe(4);
        expect(second.position).toBeGreaterThan(first.position);

        const events = await store.readStream(streamId);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        expectStrictlyIncreasing(events.map((e) => e.position));
        // The append result names the position of the last event it wrote.
        expect(events[2]!.position).toBe(first.position);
        expect(events[4]!.position).toBe(second.position);
      });

      it('refuses a stale numeric expected revision with WrongExpectedRevisionError (conflict)', async () => {
        const streamId = newStreamId();
        await store.append(streamId, [event('A', {}), event('B', {})], 'no_stream');
        await expectConflict(store.append(streamId, [event('C', {})], 0), streamId, 0, 1);
        await expectConflict(store.append(streamId, [event('C', {})], 5), streamId, 5, 1);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('refuses a numeric expected revision on a stream that does not exist', async () => {
        const streamId = newStreamId();
        await expectConflict(store.append(streamId, [event('A', {})], 0), streamId, 0, 'no_stream');
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it("refuses 'no_stream' on an existing stream", async () => {
        const streamId = newStreamId();
        await store.append(streamId, [event('A', {})], 'no_stream');
        await expectConflict(store.append(streamId, [event('B', {})], 'no_stream'), streamId, 'no_stream', 0);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it("refuses 'stream_exists' on a missing stream and accepts it on an existing one", async () => {
        const streamId = newStreamId();
        await expectConflict(
          store.append(streamId, [event('A', {})], 'stream_exists'),
          streamId,
          'stream_exists',
          'no_stream',
        );
        expect(await store.readStream(streamId)).toEqual([]);
        await store.append(streamId, [event('A', {})], 'no_stream');
        const result = await store.append(streamId, [event('B', {})], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1);
      });

      it("accepts 'any' on a missing and on an existing stream", async () => {
        const streamId = newStreamId();
        expect((await store.append(streamId, [event('A', {})], 'any')).nextExpectedRevision).toBe(0);
        expect((await store.append(streamId, [event('B', {})], 'any')).nextExpectedRevision).toBe(1);
        expect(
          (await store.append(streamId, [event('C', {}), event('D', {})], 'any')).nextExpectedRevision,
        ).toBe(3);
        expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      });

      it('lets exactly one of 10 concurrent appends at the same expected revision win', async () => {
        const streamId = newStreamId();
        await store.append(streamId, [event('Created', {})], 'no_stream');
        const attempts = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.append(streamId, [event('Raced', { contender: i })], 0)),
        );
        const winners = attempts.flatMap((a, i) =>
          a.status === 'fulfilled' ? [{ i, result: a.value }] : [],
        );
        const losers = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(9);
        for (const loser of losers) {
          expect(loser).toBeInstanceOf(WrongExpectedRevisionError);
          expect((loser as WrongExpectedRevisionError).kind).toBe('conflict');
        }
        const events = await store.readStream(streamId);
        expect(events.map((e) => e.revision)).toEqual([0, 1]);
        expect(events[1]!.data).toEqual({ contender: winners[0]!.i });
        expect(events[1]!.position).toBe(winners[0]!.result.position);
      });
    });

    describe('readStream', () => {
      it('returns the events in order with type, data, metadata, schemaVersion and an ISO recordedAt', async () => {
        const streamId = newStreamId();
        const metadata: EventMetadata = {
          correlationId: 'req_corr',
          causationId: 'evt_cause',
          actor: { type: 'token', id: 'tok_1', workspaceId: 'ws_1', userId: 'usr_1' },
        };
        const before = Date.now();
        await store.append(
          streamId,
          [
            event(
              'TokenCreated',
              { name: 'ci', scopes: ['read', 'write'], nested: { ok: true, n: 1.5 } },
              metadata,
            ),
            event('TokenRenamed', { name: 'deploy' }, { correlationId: 'req_2', actor: { type: 'admin' } }),
          ],
          'no_stream',
        );
        await store.append(streamId, [event('TokenRevoked', { reason: null })], 1);
        const after = Date.now();

        const events = await store.readStream(streamId);
        expect(events).toHaveLength(3);
        expect(events.map((e) => e.streamId)).toEqual([streamId, streamId, streamId]);
        expect(events.map((e) => e.type)).toEqual(['TokenCreated', 'TokenRenamed', 'TokenRevoked']);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(events[0]!.data).toEqual({
          name: 'ci',
          scopes: ['read', 'write'],
          nested: { ok: true, n: 1.5 },
        });
        expect(events[1]!.data).toEqual({ name: 'deploy' });
        expect(events[2]!.data).toEqual({ reason: null });
        expect(events[0]!.metadata).toEqual(metadata);
        expect(events[1]!.metadata).toEqual({ correlationId: 'req_2', actor: { type: 'admin' } });
        expect(events[2]!.metadata).toEqual({});
        for (const e of events) {
          expect(e.schemaVersion).toBe(1);
          expect(typeof e.recordedAt).toBe('string');
          expect(new Date(e.recordedAt).toISOString()).toBe(e.recordedAt);
          // Generous bounds: the server's clock may differ a little from ours.
          const recorded = Date.parse(e.recordedAt);
          expect(recorded).toBeGreaterThanOrEqual(before - 5 * 60_000);
          expect(recorded).toBeLessThanOrEqual(after + 5 * 60_000);
        }
        expectStrictlyIncreasing(events.map((e) => e.position));
      });

      it('returns [] for an unknown stream', async () => {
        expect(await store.readStream(newStreamId())).toEqual([]);
      });

      it('keeps streams apart', async () => {
        const a = newStreamId();
        const b = newStreamId();
        await store.append(a, [event('A', { s: 'a' })], 'no_stream');
        await store.append(b, [event('B', { s: 'b' })], 'no_stream');
        await store.append(a, [event('A2', { s: 'a' })], 0);
        expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A', 'A2']);
        expect((await store.readStream(b)).map((e) => e.type)).toEqual(['B']);
      });
    });

    describe('readAll', () => {
      it('returns only events after the given position, in store order, at most `limit`', async () => {
        const a = newStreamId();
        const b = newStreamId();
        const start = await store.headPosition();
        await store.append(a, [event('A0', {}), event('A1', {}), event('A2', {})], 'no_stream');
        await store.append(b, [event('B0', {})], 'no_stream');
        await store.append(a, [event('A3', {})], 2);
        const ours = (list: RecordedEvent[]) => list.filter((e) => e.streamId === a || e.streamId === b);

        const everything = ours(await store.readAll({ after: start, limit: 10_000 }));
        expect(everything.map((e) => e.type)).toEqual(['A0', 'A1', 'A2', 'B0', 'A3']);
        expectStrictlyIncreasing(everything.map((e) => e.position));
        const [a0, a1, a2] = everything;

        // `after` is exclusive, and one append is contiguous in the store.
        const page = await store.readAll({ after: a0!.position, limit: 2 });
        expect(page).toHaveLength(2);
        expect(page.map((e) => [e.streamId, e.type, e.position])).toEqual([
          [a, 'A1', a1!.position],
          [a, 'A2', a2!.position],
        ]);

        // Paging with `after` = the last position seen visits every event exactly once.
        const paged: RecordedEvent[] = [];
        let cursor = start;
        while (ours(paged).length < 5) {
          const next = await store.readAll({ after: cursor, limit: 2 });
          expect(next.length).toBeGreaterThan(0);
          expect(next.length).toBeLessThanOrEqual(2);
          for (const e of next) expect(e.position).toBeGreaterThan(cursor);
          paged.push(...next);
          cursor = next[next.length - 1]!.position;
        }
        expect(ours(paged).map((e) => e.position)).toEqual(everything.map((e) => e.position));
        expectStrictlyIncreasing(paged.map((e) => e.position));
      });

      it('reads from the beginning when `after` is omitted', async () => {
        const streamId = newStreamId();
        await store.append(streamId, [event('A', {})], 'no_stream');
        const first = await store.readAll({ limit: 3 });
        expect(first.length).toBeGreaterThan(0);
        expect(first.length).toBeLessThanOrEqual(3);
        expectStrictlyIncreasing(first.map((e) => e.position));
        for (const e of first) expect(e.type.startsWith('$')).toBe(false);
      });

      it('returns nothing at or before `after` (from the newest event: nothing of ours)', async () => {
        const streamId = newStreamId();
        await store.append(streamId, [event('A', {})], 'no_stream');
        const { position } = await store.append(streamId, [event('B', {})], 0);
        const later = await store.readAll({ after: position, limit: 100 });
        for (const e of later) {
          expect(e.streamId).not.toBe(streamId);
          expect(e.position).toBeGreaterThan(position);
        }
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a checkpoint, reports onCaughtUp, then delivers live events, until stop()', async () => {
        const streamId = newStreamId();
        const log: string[] = [];
        const { position: checkpoint } = await store.append(streamId, [event('H0', {})], 'no_stream');
        await store.append(streamId, [event('H1', {}), event('H2', {})], 0);

        const sub = track(
          store.subscribeToAll({
            after: checkpoint,
            onEvent: (e) => {
              if (e.streamId === streamId) log.push(e.type);
            },
            onCaughtUp: () => log.push('caught-up'),
            onError: (error) => log.push(`error: ${String(error)}`),
          }),
        );
        await waitFor('catch-up', () => log.includes('caught-up'));
        expect(log).toEqual(['H1', 'H2', 'caught-up']);

        await store.append(streamId, [event('L1', {})], 2);
        await store.append(streamId, [event('L2', {}), event('L3', {})], 3);
        await waitFor('live events', () => log.length >= 6);
        expect(log).toEqual(['H1', 'H2', 'caught-up', 'L1', 'L2', 'L3']);

        await sub.stop();
        await store.append(streamId, [event('AfterStop', {})], 5);
        await sleep(500);
        expect(log).toEqual(['H1', 'H2', 'caught-up', 'L1', 'L2', 'L3']);
      });

      it('delivers one event at a time, awaiting onEvent, in position order', async () => {
        const streamId = newStreamId();
        const start = await store.headPosition();
        await store.append(streamId, [event('E0', {}), event('E1', {}), event('E2', {})], 'no_stream');
        let inFlight = 0;
        let maxInFlight = 0;
        const seen: RecordedEvent[] = [];
        track(
          store.subscribeToAll({
            after: start,
            onEvent: async (e) => {
              inFlight += 1;
              maxInFlight = Math.max(maxInFlight, inFlight);
              await sleep(20);
              if (e.streamId === streamId) seen.push(e);
              inFlight -= 1;
            },
          }),
        );
        await store.append(streamId, [event('E3', {})], 2);
        await waitFor('4 events', () => seen.length >= 4);
        expect(seen.map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3']);
        expect(seen.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
        expectStrictlyIncreasing(seen.map((e) => e.position));
        expect(maxInFlight).toBe(1);
      });

      it('resumes from a saved checkpoint without repeating earlier events', async () => {
        const streamId = newStreamId();
        const start = await store.headPosition();
        await store.append(streamId, [event('E0', {}), event('E1', {})], 'no_stream');

        let checkpoint = start;
        const firstRun: string[] = [];
        const first = track(
          store.subscribeToAll({
            after: start,
            onEvent: (e) => {
              if (e.streamId === streamId) firstRun.push(e.type);
              checkpoint = e.position;
            },
          }),
        );
        await waitFor('first run', () => firstRun.length >= 2);
        await first.stop();
        expect(firstRun).toEqual(['E0', 'E1']);

        await store.append(streamId, [event('E2', {}), event('E3', {})], 1);
        const secondRun: string[] = [];
        const positions: number[] = [];
        track(
          store.subscribeToAll({
            after: checkpoint,
            onEvent: (e) => {
              positions.push(e.position);
              if (e.streamId === streamId) secondRun.push(e.type);
            },
          }),
        );
        await waitFor('second run', () => secondRun.length >= 2);
        await sleep(200);
        expect(secondRun).toEqual(['E2', 'E3']);
        for (const p of positions) expect(p).toBeGreaterThan(checkpoint);
      });

      it('subscribes from the beginning when no checkpoint is given', async () => {
        const streamId = newStreamId();
        await store.append(streamId, [event('E0', {})], 'no_stream');
        let caughtUp = false;
        const seen: string[] = [];
        let previous = 0;
        let ordered = true;
        track(
          store.subscribeToAll({
            onEvent: (e) => {
              if (e.position <= previous) ordered = false;
              previous = e.position;
              if (e.streamId === streamId) seen.push(e.type);
            },
            onCaughtUp: () => {
              caughtUp = true;
            },
          }),
        );
        await waitFor('catch-up from the start', () => caughtUp);
        expect(seen).toEqual(['E0']);
        expect(ordered).toBe(true);
      });
    });

    describe('headPosition and ping', () => {
      it('headPosition grows with appends and names the newest event', async () => {
        const before = await store.headPosition();
        expect(before).toBeGreaterThanOrEqual(0);
        const streamId = newStreamId();
        const first = await store.append(streamId, [event('A', {})], 'no_stream');
        const afterFirst = await store.headPosition();
        expect(afterFirst).toBeGreaterThan(before);
        expect(afterFirst).toBeGreaterThanOrEqual(first.position);
        const second = await store.append(streamId, [event('B', {}), event('C', {})], 0);
        const afterSecond = await store.headPosition();
        expect(afterSecond).toBeGreaterThan(afterFirst);
        expect(afterSecond).toBeGreaterThanOrEqual(second.position);
      });

      it('ping answers true', async () => {
        await expect(store.ping()).resolves.toBe(true);
      });
    });

    describe('upcasting', () => {
      const registry = () =>
        new UpcasterRegistry([
          {
            type: 'ContractRenamed',
            fromVersion: 1,
            upcast: (data) => {
              const { name } = data as { name: string };
              return { displayName: name, slug: name.toLowerCase() };
            },
          },
        ]);

      it('upcasts v1 data to v2 on readStream, readAll and subscribeToAll', async () => {
        const upcasting = await openStore(registry());
        const streamId = newStreamId();
        const start = await upcasting.headPosition();
        await upcasting.append(
          streamId,
          [
            { type: 'ContractRenamed', data: { name: 'Old Shape' }, schemaVersion: 1 },
            { type: 'Untouched', data: { name: 'Same' }, schemaVersion: 1 },
          ],
          'no_stream',
        );
        const expected = [
          {
            type: 'ContractRenamed',
            schemaVersion: 2,
            data: { displayName: 'Old Shape', slug: 'old shape' },
          },
          { type: 'Untouched', schemaVersion: 1, data: { name: 'Same' } },
        ];
        const shape = (list: RecordedEvent[]) =>
          list
            .filter((e) => e.streamId === streamId)
            .map(({ type, schemaVersion, data }) => ({ type, schemaVersion, data }));

        expect(shape(await upcasting.readStream(streamId))).toEqual(expected);
        expect(shape(await upcasting.readAll({ after: start, limit: 10_000 }))).toEqual(expected);

        const delivered: RecordedEvent[] = [];
        track(upcasting.subscribeToAll({ after: start, onEvent: (e) => void delivered.push(e) }));
        await waitFor('upcast events on the subscription', () => shape(delivered).length >= 2);
        expect(shape(delivered)).toEqual(expected);
      });

      it('writes new events at the current version so they are not upcast again', async () => {
        const upcasting = await openStore(registry());
        const streamId = newStreamId();
        await upcasting.append(
          streamId,
          [{ type: 'ContractRenamed', data: { displayName: 'New', slug: 'new' } }],
          'no_stream',
        );
        const [stored] = await upcasting.readStream(streamId);
        expect(stored!.schemaVersion).toBe(2);
        expect(stored!.data).toEqual({ displayName: 'New', slug: 'new' });
      });

      it('leaves stored data alone: a store without the upcaster reads the v1 shape', async () => {
        const upcasting = await openStore(registry());
        const streamId = newStreamId();
        await upcasting.append(
          streamId,
          [{ type: 'ContractRenamed', data: { name: 'Raw' }, schemaVersion: 1 }],
          'no_stream',
        );
        const [raw] = await store.readStream(streamId);
        expect(raw!.schemaVersion).toBe(1);
        expect(raw!.data).toEqual({ name: 'Raw' });
      });
    });
  });
}
