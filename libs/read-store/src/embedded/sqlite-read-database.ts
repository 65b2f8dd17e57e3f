import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The embedded read-model database: one SQLite file beside the event store. Repositories create
 * their own tables; read models are disposable (rebuilt from events), so there are no migrations.
 *
 * Writes go through `write()`, which groups every write of one event-loop turn into one
 * transaction (group commit). A delivery touches the read models about ten times (projection rows,
 * checkpoints, lease claim and release); one commit per turn instead of one per statement is what
 * `bench:deliveries` measured as the largest single saving. Readers on this connection see the
 * open transaction; other processes see it at the commit, at the end of the turn, and `flush()`
 * commits at once where another process must see a change now (read-your-writes answers).
 *
 * Holding the write lock for a turn is only fair while no one else writes the file. As soon as
 * another connection (another process sharing DATA_DIR) has committed, which `PRAGMA data_version`
 * tells, writes go back to one short transaction each for a while, so no process makes the others
 * wait for its turns (their waits block their event loops in SQLite's busy handler).
 */
const COMMIT_RETRY_MS = 50;

/** How long after another writer was last seen writes stay one transaction each. */
const SHARED_BACKOFF_MS = 30_000;

export class SqliteReadDatabase {
  /** Open connections by file, to settle each other's group transactions (see `write`). */
  private static readonly byFile = new Map<string, Set<SqliteReadDatabase>>();

  /** Commits the group transactions of every connection to `filename` in this process. */
  static flushAll(filename: string): void {
    for (const peer of SqliteReadDatabase.byFile.get(filename) ?? []) peer.flush();
  }

  readonly db: Database.Database;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly dataVersionStmt: Database.Statement<[], number>;
  /** Set while a group transaction opened by `write()` is pending. */
  private pending: NodeJS.Immediate | NodeJS.Timeout | null = null;
  /** Waiting for the pending group transaction's commit (see `committed`). */
  private waiters: (() => void)[] = [];
  private lastDataVersion: number | undefined;
  /** Until then (epoch ms) another writer was seen recently: no group transactions. */
  private sharedUntil = 0;

  /**
   * `groupCommit: false` for a file written seldom next to the read models (saga checkpoints): a
   * process holds at most one file's lock across a turn, so two processes cannot deadlock.
   */
  constructor(
    private readonly filename: string,
    private readonly options: { groupCommit?: boolean } = {},
  ) {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // IMMEDIATE: take the write lock up front, so a lease claim read-then-update stays atomic across processes.
    this.begin = this.db.prepare('BEGIN IMMEDIATE');
    this.commit = this.db.prepare('COMMIT');
    this.dataVersionStmt = this.db.prepare<[], number>('PRAGMA data_version').pluck();
    if (filename !== ':memory:') {
      const peers = SqliteReadDatabase.byFile.get(filename) ?? new Set();
      peers.add(this);
      SqliteReadDatabase.byFile.set(filename, peers);
    }
  }

  /**
   * Runs `fn` (synchronous statements) inside this turn's group transaction, opening it if needed.
   * A statement that fails is undone by SQLite on its own; the rest of the group still commits.
   * Inside a transaction someone else opened (a rebuild's batch) it just runs.
   */
  write<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    // Another connection to this file in this process (tests that play two processes) may hold
    // the write lock until its turn ends; waiting for it here, on the same thread, would deadlock.
    if (this.filename !== ':memory:') {
      for (const peer of SqliteReadDatabase.byFile.get(this.filename)!) if (peer !== this) peer.flush();
    }
    if (!this.grouping()) return this.db.transaction(fn).immediate();
    this.begin.run();
    this.pending = setImmediate(() => this.flush());
    return fn();
  }

  /**
   * SQLite's `PRAGMA data_version` on this connection: different from the previous call's whenever
   * another connection (in this process or another) has committed to the file in between; this
   * connection's own writes leave it unchanged. Costs a read-lock round trip on the WAL index
   * (two fcntl calls, about 3 µs), no page read.
   */
  dataVersion(): number {
    return this.dataVersionStmt.get()!;
  }

  /** Whether writes may share a turn-long transaction: enabled, and no other writer seen lately. */
  private grouping(): boolean {
    if (this.options.groupCommit === false) return false;
    const version = this.dataVersion();
    if (this.lastDataVersion !== undefined && version !== this.lastDataVersion) {
      this.sharedUntil = Date.now() + SHARED_BACKOFF_MS;
    }
    this.lastDataVersion = version;
    return Date.now() >= this.sharedUntil;
  }

  /** Commits the pending group transaction now, if there is one. */
  flush(): void {
    if (this.pending === null) return;
    clearImmediate(this.pending as NodeJS.Immediate);
    clearTimeout(this.pending as NodeJS.Timeout);
    this.pending = null;
    try {
      if (this.db.open && this.db.inTransaction) this.commit.run();
    } catch (error) {
      // The transaction stays open (e.g. a busy or I/O error at COMMIT): keep its writes and try
      // again shortly; waiters are answered only once they are committed.
      process.emitWarning(`read-model commit failed, retrying: ${String(error)}`);
      this.pending = setTimeout(() => this.flush(), COMMIT_RETRY_MS);
      return;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Resolves once every write so far is committed (visible to other processes): at once when
   * nothing is pending, else at the end of this turn, together with every other waiter.
   */
  committed(): Promise<void> {
    if (this.pending === null) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  ping(): boolean {
    return this.db.open && this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  close(): void {
    this.flush();
    if (this.db.open) this.db.close();
    const peers = SqliteReadDatabase.byFile.get(this.filename);
    peers?.delete(this);
    if (peers?.size === 0) SqliteReadDatabase.byFile.delete(this.filename);
  }
}
