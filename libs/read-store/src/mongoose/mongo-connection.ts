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
    });
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
