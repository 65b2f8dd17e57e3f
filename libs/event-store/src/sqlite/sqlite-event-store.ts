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

interface QueuedAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

interface StoredRow {
  position: number;
  streamId: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  recordedAt: string;
}

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
  /** Runs a function in one IMMEDIATE transaction: a turn's appends. */
  private readonly inTransaction;
  private closed = false;
  /** The last events appended by this process, by position: live subscribers skip the SELECT and JSON parse. */
  private readonly recent = new Map<number, RecordedEvent>();
  /** Position of this process's latest append. */
  private lastLocalPosition = 0;
  /** Appends waiting for this turn's group commit. */
  private queue: QueuedAppend[] = [];
  private flushTimer: NodeJS.Immediate | null = null;

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
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      readStream: this.db.prepare<[string], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? ORDER BY revision',
      ),
      readAll: this.db.prepare<[number, number], EventRow>(
        'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?',
      ),
      head: this.db.prepare<[], { head: number | null }>('SELECT MAX(position) AS head FROM events'),
    };
    this.inTransaction = this.db.transaction((run: () => void) => run());
  }

  /** The raw handle, for benchmarks and migrations only. */
  get database(): Database.Database {
    return this.db;
  }

  /**
   * Appends are group-committed: every append requested in one event-loop turn is written in one
   * transaction (each under its own savepoint, so one conflict fails only its own append) and
   * resolved after the COMMIT. Durable when resolved, as before; one commit per turn instead of
   * one per append is what bench:deliveries measured.
   */
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      if (this.queue.length === 1) this.flushTimer = setImmediate(() => this.commitQueued());
    });
  }

  private commitQueued(): void {
    const queued = this.queue;
    this.queue = [];
    this.flushTimer = null;
    if (queued.length === 0) return;
    const appended: StoredRow[] = [];
    const outcomes: ({ ok: true; result: AppendResult } | { ok: false; error: unknown })[] = [];
    try {
      // IMMEDIATE takes the write lock up front, so each revision check and its insert are atomic across processes.
      this.inTransaction.immediate(() => {
        for (const q of queued) {
          try {
            outcomes.push({ ok: true, result: this.insert(q, appended) });
          } catch (error) {
            // A conflict fails before any row of its append is written (see `insert`), so the
            // others stand; anything else (disk full, …) rolls the whole group back.
            if (!(error instanceof WrongExpectedRevisionError)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The transaction itself failed (e.g. the lock stayed busy): nothing was written.
      for (const q of queued) q.reject(error);
      return;
    }
    // Committed: keep the new events parsed once for this process's live subscribers.
    // An event that does not upcast is left out: subscribers then read it from the file and see the error there.
    for (const row of appended) {
      this.lastLocalPosition = Math.max(this.lastLocalPosition, row.position);
      try {
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
      } catch {
        this.recent.delete(row.position);
      }
    }
    while (this.recent.size > RECENT_EVENTS) this.recent.delete(this.recent.keys().next().value!);
    queued.forEach((q, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) q.resolve(outcome.result);
      else q.reject(outcome.error);
    });
    if (appended.length > 0) this.appended.emit('append');
  }

  /**
   * One append inside the open transaction: the optimistic-concurrency check, then the rows. A
   * conflict is found before the first row (the lookup), or by the first row itself for a new
   * stream (its revision 0 already exists; SQLite undoes just that statement): never after a row
   * of this append was written, so no savepoint is needed. The write lock is held throughout.
   */
  private insert(q: QueuedAppend, appended: StoredRow[]): AppendResult {
    const { streamId, events, expected } = q;
    // A new stream needs no lookup: revision 0 is unique per stream, so the insert itself refuses
    // an existing one (below). Most appends (published events, deliveries) start a stream.
    const last = expected === 'no_stream' ? undefined : this.stmts.lastRevision.get(streamId)?.revision;
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
      let info: Database.RunResult;
      try {
        info = this.stmts.insert.run(
          streamId,
          revision,
          row.type,
          row.schemaVersion,
          row.data,
          row.metadata,
          recordedAt,
        );
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
        const found = this.stmts.lastRevision.get(streamId)?.revision;
        throw new WrongExpectedRevisionError(streamId, expected, found === undefined ? 'no_stream' : found);
      }
      position = Number(info.lastInsertRowid);
      appended.push({ ...row, position });
    }
    return { nextExpectedRevision: revision, position };
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
    let lastReadAt = 0;
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
            // Most subscribers ignore most events and answer synchronously: no await for those.
            const pending = options.onEvent(next);
            if (pending) await pending;
            cursor = next.position;
            next = this.recent.get(cursor + 1);
          }
        }
        // The fast path reached our latest append without a gap, so nothing else is new unless
        // another process appended after it: skip the SELECT then, but still read at least every
        // poll interval. A SELECT per subscriber per append was bench:deliveries' hottest query.
        const now = Date.now();
        if (!caughtUp || cursor < this.lastLocalPosition || now - lastReadAt >= this.pollIntervalMs) {
          lastReadAt = now;
          const batch = this.stmts.readAll.all(cursor, 500);
          for (const row of batch) {
            if (stopped) return;
            const pending = options.onEvent(this.toEvent(row));
            if (pending) await pending;
            cursor = row.position;
          }
          if (batch.length === 500) continue;
          if (!caughtUp) {
            caughtUp = true;
            options.onCaughtUp?.();
          }
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
    // Appends already requested are written, not dropped.
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.commitQueued();
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
