/**
 * EsdbEventStore against an in-memory stand-in for `@eventstore/db-client`, so the adapter's own
 * logic (revision and error mapping, system-event skipping, exclusive `after`, paging, catch-up then
 * live, resubscription signalling) runs through the whole contract without a server. The fake
 * mimics the server semantics the adapter relies on: one log shared by every client, each event at
 * its own position (commit === prepare), inclusive forward reads, exclusive subscription start,
 * system events (`$`-types in `$`-streams) interleaved with ours. It is no proof against a real
 * EventStoreDB: run esdb-event-store.int-spec.ts with EVENTSTORE_URL for that.
 */
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { RecordedEvent } from '../../../kernel/src/index.js';
import { eventStoreContract } from '../contract/event-store.contract.js';

type Position = { commit: bigint; prepare: bigint };
type ReadPosition = 'start' | 'end' | Position;

interface FakeRecord {
  id: string;
  streamId: string;
  type: string;
  revision: bigint;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  created: Date;
  position: Position;
}

interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: unknown;
  metadata?: unknown;
}

class FakeCommandError extends Error {}
class StreamNotFoundError extends FakeCommandError {}
class WrongExpectedVersionError extends FakeCommandError {
  constructor(
    readonly streamName: string,
    readonly expectedVersion: unknown,
    readonly actualVersion: bigint | 'no_stream',
  ) {
    super(`wrong expected version on ${streamName}`);
  }
}

/** The "server": one log for every client. */
const server = {
  log: [] as FakeRecord[],
  nextPosition: 1_000n,
  appended: new EventEmitter(),
  subscriptions: new Set<PassThrough>(),
  calls: { appendToStream: 0, readAll: 0, readStream: 0, subscribeToAll: 0, dispose: 0 },

  write(streamId: string, type: string, data: unknown, metadata: unknown, isJson = true): FakeRecord {
    const last = this.lastRevision(streamId);
    const record: FakeRecord = {
      id: randomUUID(),
      streamId,
      type,
      revision: last === undefined ? 0n : last + 1n,
      isJson,
      // What goes over the wire is JSON.
      data: isJson ? JSON.parse(JSON.stringify(data)) : data,
      metadata: metadata === undefined ? undefined : JSON.parse(JSON.stringify(metadata)),
      created: new Date(),
      position: { commit: this.nextPosition, prepare: this.nextPosition },
    };
    this.nextPosition += BigInt(64 + Math.floor(Math.random() * 200));
    this.log.push(record);
    this.appended.emit('record', record);
    return record;
  },

  lastRevision(streamId: string): bigint | undefined {
    for (let i = this.log.length - 1; i >= 0; i--)
      if (this.log[i]!.streamId === streamId) return this.log[i]!.revision;
    return undefined;
  },

  /** System noise, as a server with projections produces. */
  writeSystemEvents(count: number): void {
    for (let i = 0; i < count; i++) {
      if (i % 3 === 0) this.write('$stats-127.0.0.1:2113', '$statsCollected', { i }, undefined);
      else if (i % 3 === 1) this.write('$$someStream', '$metadata', { $maxAge: 60 }, undefined);
      else this.write(`$et-Thing`, '$>', '0@someStream', undefined, false);
    }
  },
};

function resolved(record: FakeRecord) {
  return { event: record, commitPosition: record.position.commit };
}

function readable(items: unknown[]) {
  return Object.assign(Readable.from(items, { objectMode: true }), { cancel: async () => undefined });
}

class FakeClient {
  static connectionString(url: string): FakeClient {
    if (!url.startsWith('esdb://')) throw new Error(`bad connection string ${url}`);
    return new FakeClient();
  }

  async appendToStream(streamName: string, events: ProposedEvent[], options: { expectedRevision: unknown }) {
    server.calls.appendToStream += 1;
    await new Promise((resolve) => setImmediate(resolve));
    // The server checks and writes atomically.
    const current = server.lastRevision(streamName);
    const expected = options.expectedRevision;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === undefined) ||
      (expected === 'stream_exists' && current !== undefined) ||
      (typeof expected === 'bigint' && expected === current);
    if (!ok) throw new WrongExpectedVersionError(streamName, expected, current ?? 'no_stream');
    let last: FakeRecord | undefined;
    for (const e of events) {
      if (e.contentType !== 'application/json') throw new Error('the adapter writes JSON only');
      last = server.write(streamName, e.type, e.data, e.metadata);
    }
    // A projection links the new events into $ce-<category> (system events between ours).
    server.write(
      `$ce-${streamName.split('-')[0]}`,
      '$>',
      `${last!.revision}@${streamName}`,
      undefined,
      false,
    );
    return { success: true, nextExpectedRevision: last!.revision, position: last!.position };
  }

  readStream(
    streamName: string,
    options: { fromRevision?: 'start' | bigint; maxCount?: number | bigint } = {},
  ) {
    server.calls.readStream += 1;
    const records = server.log.filter((r) => r.streamId === streamName);
    if (records.length === 0) {
      return Object.assign(
        new Readable({
          objectMode: true,
          read() {
            this.destroy(new StreamNotFoundError(`${streamName} not found`));
          },
        }),
        { cancel: async () => undefined },
      );
    }
    const from =
      options.fromRevision === undefined || options.fromRevision === 'start' ? 0n : options.fromRevision;
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return readable(
      records
        .filter((r) => r.revision >= from)
        .slice(0, max)
        .map(resolved),
    );
  }

  readAll(options: {
    fromPosition?: ReadPosition;
    direction?: 'forwards' | 'backwards';
    maxCount?: number | bigint;
  }) {
    server.calls.readAll += 1;
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromPosition ?? 'start';
    if ((options.direction ?? 'forwards') === 'forwards') {
      if (from === 'end') return readable([]);
      // Inclusive, like the server.
      const records =
        from === 'start' ? server.log : server.log.filter((r) => r.position.commit >= from.commit);
      return readable(records.slice(0, max).map(resolved));
    }
    const before = from === 'end' ? undefined : from === 'start' ? -1n : from.commit;
    const records = server.log.filter((r) => before === undefined || r.position.commit < before).reverse();
    return readable(records.slice(0, max).map(resolved));
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: { regex?: string } }) {
    server.calls.subscribeToAll += 1;
    const regex = options.filter?.regex ? new RegExp(options.filter.regex) : undefined;
    const from = options.fromPosition ?? 'start';
    const matches = (r: FakeRecord) => !regex || regex.test(r.type);
    const stream = new PassThrough({ objectMode: true, highWaterMark: 4 });
    const onRecord = (r: FakeRecord) => {
      if (matches(r)) stream.write(resolved(r));
    };
    // Exclusive start, like the server.
    const history =
      from === 'end'
        ? []
        : from === 'start'
          ? server.log
          : server.log.filter((r) => r.position.commit > from.commit);
    for (const r of history) if (matches(r)) stream.write(resolved(r));
    server.appended.on('record', onRecord);
    server.subscriptions.add(stream);
    const stop = () => {
      server.appended.off('record', onRecord);
      server.subscriptions.delete(stream);
    };
    stream.on('close', stop);
    return Object.assign(stream, {
      unsubscribe: async () => {
        stop();
        stream.end();
      },
    });
  }

  async dispose(): Promise<void> {
    server.calls.dispose += 1;
  }
}

jest.unstable_mockModule('@eventstore/db-client', () => ({
  ANY: 'any',
  NO_STREAM: 'no_stream',
  STREAM_EXISTS: 'stream_exists',
  START: 'start',
  END: 'end',
  FORWARDS: 'forwards',
  BACKWARDS: 'backwards',
  EventStoreDBClient: FakeClient,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents: () => ({ filterOn: 'eventType', regex: '^[^$].*', checkpointInterval: 1 }),
  jsonEvent: ({
    type,
    data,
    metadata,
    id = randomUUID(),
  }: Omit<ProposedEvent, 'id' | 'contentType'> & { id?: string }) => ({
    id,
    contentType: 'application/json',
    type,
    data,
    metadata,
  }),
}));

const { EsdbEventStore } = await import('./esdb-event-store.js');

const URL = 'esdb://127.0.0.1:2113?tls=false';

// Enough system events that catch-up and readAll have to page (the adapter reads 500 at a time).
server.writeSystemEvents(1_200);

eventStoreContract('esdb adapter on an in-memory client', async (upcasters) => {
  const store = new EsdbEventStore(URL, upcasters);
  return { store, cleanup: () => store.close() };
});

describe('EsdbEventStore specifics (in-memory client)', () => {
  const waitFor = async (predicate: () => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('stores schemaVersion in the event metadata and hides it on read', async () => {
    const store = new EsdbEventStore(URL);
    const streamId = `spec-${randomUUID()}`;
    await store.append(
      streamId,
      [{ type: 'T', data: { a: 1 }, metadata: { correlationId: 'c' }, schemaVersion: 3 }],
      'no_stream',
    );
    const raw = server.log.find((r) => r.streamId === streamId)!;
    expect(raw.metadata).toEqual({ correlationId: 'c', schemaVersion: 3 });
    const [read] = await store.readStream(streamId);
    expect(read!.metadata).toEqual({ correlationId: 'c' });
    expect(read!.schemaVersion).toBe(3);
    expect(read!.position).toBe(Number(raw.position.commit));
    expect(read!.recordedAt).toBe(raw.created.toISOString());
    await store.close();
    expect(server.calls.dispose).toBeGreaterThan(0);
  });

  it('never surfaces system events, even from the start of $all', async () => {
    const store = new EsdbEventStore(URL);
    const everything: RecordedEvent[] = [];
    let after = 0;
    for (;;) {
      const page = await store.readAll({ after, limit: 300 });
      if (page.length === 0) break;
      everything.push(...page);
      after = page[page.length - 1]!.position;
    }
    const ours = server.log.filter((r) => !r.type.startsWith('$') && !r.streamId.startsWith('$'));
    expect(everything.map((e) => e.position)).toEqual(ours.map((r) => Number(r.position.commit)));
    expect(await store.headPosition()).toBe(Number(ours[ours.length - 1]!.position.commit));
    await store.close();
  });

  it('calls onError when the subscription fails, so the owner can resubscribe from its checkpoint', async () => {
    const store = new EsdbEventStore(URL);
    const errors: unknown[] = [];
    let caughtUp = false;
    const sub = store.subscribeToAll({
      after: await store.headPosition(),
      onEvent: () => undefined,
      onCaughtUp: () => {
        caughtUp = true;
      },
      onError: (error) => errors.push(error),
    });
    await waitFor(() => caughtUp && server.subscriptions.size > 0);
    const failure = new Error('connection dropped');
    for (const s of [...server.subscriptions]) s.destroy(failure);
    await waitFor(() => errors.length > 0);
    expect(errors).toEqual([failure]);
    await sub.stop();
    await store.close();
  });

  it('calls onError when the server ends the subscription', async () => {
    const store = new EsdbEventStore(URL);
    const errors: unknown[] = [];
    let caughtUp = false;
    const sub = store.subscribeToAll({
      onEvent: () => undefined,
      onCaughtUp: () => {
        caughtUp = true;
      },
      onError: (error) => errors.push(error),
    });
    await waitFor(() => caughtUp && server.subscriptions.size > 0);
    for (const s of [...server.subscriptions]) s.end();
    await waitFor(() => errors.length > 0);
    expect(String(errors[0])).toMatch(/ended/);
    await sub.stop();
    await store.close();
  });

  it('does not call onError after stop()', async () => {
    const store = new EsdbEventStore(URL);
    const errors: unknown[] = [];
    let caughtUp = false;
    const sub = store.subscribeToAll({
      onEvent: () => undefined,
      onCaughtUp: () => {
        caughtUp = true;
      },
      onError: (error) => errors.push(error),
    });
    await waitFor(() => caughtUp && server.subscriptions.size > 0);
    const before = server.subscriptions.size;
    await sub.stop();
    expect(server.subscriptions.size).toBe(before - 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toEqual([]);
    await store.close();
  });

  it('passes other errors through unchanged', async () => {
    const store = new EsdbEventStore(URL);
    await expect(store.append('spec-x', [], 'any')).rejects.toThrow('at least one event');
    await store.close();
  });
});
