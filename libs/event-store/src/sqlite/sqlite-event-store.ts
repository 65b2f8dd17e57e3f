import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import type { NewEvent, RecordedEvent } from '../../../kernel/src/index.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { UpcasterRegistry } from '../upcaster-registry.js';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error.js';

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
}

const RECENT_EVENTS = 4096;

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:' for tests. */
  filename: string;
  upcasters?: UpcasterRegistry;
  /** How often a live subscription looks for appends made by other processes sharing the file. */
  pollIntervalMs?: number;
  now?: () => Date;
}

/**
 * Embedded event store on one SQLite file (WAL). The global position is the rowid; the per-stream
 * revision is guarded by a unique index, so even two processes sharing the file cannot both win
 * the same revision.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly upcasters: UpcasterRegistry;
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private readonly now: () => Date;
  private readonly stmts;
  private closed = false;
  /** The last events appended by this process, by position: live subscribers skip the SELECT and JSON parse. */
  private readonly recent = new Map<number, RecordedEvent>();

  constructor(options: SqliteEventStoreOptions) {
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position       INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_id      TEXT    NOT NULL,
        revision       INTEGER NOT NULL,
        type           TEXT    NOT NULL,
        schema_version INTEGER NOT NULL DEFAULT 1,
        data           TEXT    NOT NULL,
        metadata       TEXT    NOT NULL,
        recorded_at    TEXT    NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
    `);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.now = options.now ?? (() => new Date());
    this.appended.setMaxListeners(0);
    this.stmts = {
      lastRevision: this.db.prepare<[string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
      ),
      insert: this.db.prepare(
        `INSERT INTO events (stream_id, revision, type, schema_version, data, metadata, recorded_at)
         VALUES (@streamId, @revision, @type, @schemaVersion, @data, @metadata, @recordedAt)`,
      ),
      readStream: this.db.prepare<[string], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? ORDER BY revision',
      ),
      readAll: this.db.prepare<[number, number], EventRow>(
        'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?',
      ),
      head: this.db.prepare<[], { head: number | null }>('SELECT MAX(position) AS head FROM events'),
    };
  }

  /** The raw handle, for benchmarks and migrations only. */
  get database(): Database.Database {
    return this.db;
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const appended: {
      position: number;
      streamId: string;
      revision: number;
      type: string;
      schemaVersion: number;
      data: string;
      metadata: string;
      recordedAt: string;
    }[] = [];
    // IMMEDIATE takes the write lock up front, so the revision check and the insert are atomic across processes.
    const result = this.db
      .transaction((): AppendResult => {
        const last = this.stmts.lastRevision.get(streamId)?.revision;
        const actual = last === undefined ? 'no_stream' : last;
        const ok =
          expected === 'any' ||
          (expected === 'no_stream' && actual === 'no_stream') ||
          (expected === 'stream_exists' && actual !== 'no_stream') ||
          (typeof expected === 'number' && expected === actual);
        if (!ok) throw new WrongExpectedRevisionError(streamId, expected, actual);
        let revision = last ?? -1;
        let position = 0;
        const recordedAt = this.now().toISOString();
        for (const event of events) {
          revision += 1;
          const row = {
            streamId,
            revision,
            type: event.type,
            schemaVersion: event.schemaVersion ?? this.upcasters.currentVersion(event.type),
            data: JSON.stringify(event.data),
            metadata: JSON.stringify(event.metadata ?? {}),
            recordedAt,
          };
          const info = this.stmts.insert.run(row);
          position = Number(info.lastInsertRowid);
          appended.push({ ...row, position });
        }
        return { nextExpectedRevision: revision, position };
      })
      .immediate();
    // Committed: keep the new events parsed once for this process's live subscribers.
    for (const row of appended) {
      this.recent.set(
        row.position,
        this.upcasters.upcast({
          position: row.position,
          streamId: row.streamId,
          revision: row.revision,
          type: row.type,
          schemaVersion: row.schemaVersion,
          data: JSON.parse(row.data),
          metadata: JSON.parse(row.metadata),
          recordedAt: row.recordedAt,
        }),
      );
    }
    while (this.recent.size > RECENT_EVENTS) this.recent.delete(this.recent.keys().next().value!);
    this.appended.emit('append');
    return result;
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.stmts.readStream.all(streamId).map((row) => this.toEvent(row));
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.stmts.readAll.all(options.after ?? 0, options.limit).map((row) => this.toEvent(row));
  }

  async headPosition(): Promise<number> {
    return this.stmts.head.get()?.head ?? 0;
  }

  async ping(): Promise<boolean> {
    return !this.closed && this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    let cursor = options.after ?? 0;
    let stopped = false;
    let caughtUp = false;
    let wake: (() => void) | undefined;
    // Set by an in-process append that happens while no one is waiting (e.g. during onEvent), so it is not missed.
    let appendedMeanwhile = false;
    const onAppend = () => {
      appendedMeanwhile = true;
      wake?.();
    };
    this.appended.on('append', onAppend);

    const loop = async () => {
      // A closed store ends its subscriptions quietly (no onError: there is nothing to resubscribe to).
      while (!stopped && !this.closed) {
        appendedMeanwhile = false;
        // Fast path: events this process just appended, already parsed, in position order.
        let next = this.recent.get(cursor + 1);
        if (next && caughtUp) {
          while (next && !stopped) {
            await options.onEvent(next);
            cursor = next.position;
            next = this.recent.get(cursor + 1);
          }
        }
        const batch = this.stmts.readAll.all(cursor, 500);
        for (const row of batch) {
          if (stopped) return;
          await options.onEvent(this.toEvent(row));
          cursor = row.position;
        }
        if (batch.length === 500) continue;
        if (!caughtUp) {
          caughtUp = true;
          options.onCaughtUp?.();
        }
        if (appendedMeanwhile || stopped || this.closed) continue;
        // Live: wake on an in-process append, or poll for appends by other processes sharing the file.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    };
    const done = loop()
      .catch((error: unknown) => {
        stopped = true;
        options.onError?.(error);
      })
      .finally(() => this.appended.off('append', onAppend));
    return {
      stop: async () => {
        stopped = true;
        this.appended.off('append', onAppend);
        wake?.();
        await done;
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appended.emit('append');
    this.db.close();
  }

  private toEvent(row: EventRow): RecordedEvent {
    return this.upcasters.upcast({
      position: row.position,
      streamId: row.stream_id,
      revision: row.revision,
      type: row.type,
      schemaVersion: row.schema_version,
      data: JSON.parse(row.data),
      metadata: JSON.parse(row.metadata),
      recordedAt: row.recorded_at,
    });
  }
}
