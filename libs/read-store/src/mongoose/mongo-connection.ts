import mongoose, { type Connection } from 'mongoose';
import type { ReadStoreHealth } from '../read-store-health.port.js';
import { DocumentLocks } from './document-locks.js';

export interface MongoConnectionOptions {
  /** Overrides the database named in the URL (the contract tests use a fresh one per run). */
  dbName?: string;
  /** How long opening (and any later operation) waits for a reachable server; default 10 s. */
  serverSelectionTimeoutMS?: number;
  /**
   * Serialise the writes to one document with lock documents (see DocumentLocks). Default: only on
   * FerretDB 1.x, which applies an update as "read, change, write back" without isolation.
   */
  serializeWrites?: boolean;
}

/** What the server said about itself at connect time. */
export interface MongoServerInfo {
  version: string;
  /** Set when the server is FerretDB (its `buildInfo` carries `ferretdbVersion`). */
  ferretdbVersion: string | undefined;
}

/**
 * The read side's one MongoDB connection, shared by every mongoose adapter of a process. Its own
 * `mongoose.createConnection`, never the global default connection, so several can coexist in one
 * process (tests, two "instances" in a contract case) and nothing else can close it underneath us.
 */
export class MongoConnection implements ReadStoreHealth {
  private closed = false;

  private constructor(
    readonly connection: Connection,
    readonly server: MongoServerInfo,
    readonly locks: DocumentLocks,
  ) {}

  static async open(url: string, options: MongoConnectionOptions = {}): Promise<MongoConnection> {
    const connection = mongoose.createConnection(url, {
      ...(options.dbName ? { dbName: options.dbName } : {}),
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
      appName: 'whatsmine-developer-tools',
      ...(process.env.MONGO_OP_STATS === '1' ? { monitorCommands: true } : {}),
    });
    if (process.env.MONGO_OP_STATS === '1') recordOpStats(connection);
    try {
      await connection.asPromise();
      const info = await database(connection).admin().command({ buildInfo: 1 });
      const server: MongoServerInfo = {
        version: String(info.version ?? 'unknown'),
        ferretdbVersion: typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : undefined,
      };
      // FerretDB 2.x runs on PostgreSQL with DocumentDB and updates atomically; 1.x does not.
      const serialize = options.serializeWrites ?? /^v?1\./.test(server.ferretdbVersion ?? '');
      return new MongoConnection(connection, server, new DocumentLocks(serialize ? connection : null));
    } catch (error) {
      await connection.close().catch(() => undefined);
      // The driver's message names host and reason, never the credentials of the URL.
      throw new Error(
        `cannot use the MongoDB read store (MONGO_URL): ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  get databaseName(): string {
    return database(this.connection).databaseName;
  }

  /** Readiness: true when the server answers a ping within `timeoutMs`. Never throws. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    if (this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    const ping = database(this.connection)
      .command({ ping: 1 })
      .then((reply) => reply.ok === 1)
      .catch(() => false);
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.close();
  }
}

function database(connection: Connection): mongoose.mongo.Db {
  const db = connection.db;
  if (!db) throw new Error('the MongoDB connection is not open');
  return db;
}

/** MONGO_OP_STATS=1: count and time every command by name, collection and filter shape; printed at exit. */
const opStats = new Map<string, { n: number; ms: number; max: number }>();
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shapeOf(value[0])] : [];
  if (value && typeof value === 'object' && !(value instanceof Date) && value.constructor === Object)
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        k.startsWith('$') ? shapeOf(v) : typeof v === 'object' && v !== null ? shapeOf(v) : 1,
      ]),
    );
  return 1;
}
function recordOpStats(connection: Connection): void {
  const started = new Map<number, { key: string; at: number }>();
  const client = connection.getClient();
  client.on('commandStarted', (e) => {
    const c = e.command as Record<string, unknown>;
    const coll = String(c[e.commandName] ?? '');
    const filter =
      c.filter ??
      c.query ??
      (c.updates as { q: unknown }[] | undefined)?.[0]?.q ??
      (c.deletes as { q: unknown }[] | undefined)?.[0]?.q;
    started.set(e.requestId, {
      key: `${e.commandName} ${coll} ${JSON.stringify(shapeOf(filter) ?? '')}`,
      at: performance.now(),
    });
  });
  const done = (e: { requestId: number }) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    const ms = performance.now() - s.at;
    const st = opStats.get(s.key) ?? { n: 0, ms: 0, max: 0 };
    st.n++;
    st.ms += ms;
    st.max = Math.max(st.max, ms);
    opStats.set(s.key, st);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
  if (opStats.size === 0 && !(globalThis as { __opStatsHooked?: boolean }).__opStatsHooked) {
    (globalThis as { __opStatsHooked?: boolean }).__opStatsHooked = true;
    process.on('exit', () => {
      const rows = [...opStats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40);
      for (const [key, st] of rows)
        process.stderr.write(
          `${st.ms.toFixed(0).padStart(8)} ms ${String(st.n).padStart(7)}x avg ${(st.ms / st.n).toFixed(2).padStart(7)} max ${st.max.toFixed(0).padStart(5)}  ${key}\n`,
        );
    });
  }
}
