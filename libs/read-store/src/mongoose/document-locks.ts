import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Connection } from 'mongoose';
import { isDuplicateKeyError } from './mongoose-support.js';

interface LockDocument {
  _id: string;
  owner: string;
  until: Date;
}

const LOCK_COLLECTION = 'document_locks';
/** Longer than any single guarded write; a lock left by a crashed process is taken over after it. */
const LOCK_TTL_MS = 10_000;
const ACQUIRE_TIMEOUT_MS = 15_000;

/**
 * Per-document write serialisation for servers whose updates are not atomic.
 *
 * FerretDB 1.x (SQLite backend) runs `updateOne`/`findOneAndUpdate` as a query followed by a
 * write-back of the whole document, with no isolation: two conditional updates can both match
 * (a lease taken twice, a revision guard passed twice) and concurrent updates of different fields
 * lose each other's changes. The one atomic primitive it has is an insert against a unique index,
 * so a writer first inserts `{_id: "<collection>:<id>"}` here, does its guarded update, and deletes
 * it again. On MongoDB (`collection` null) `run` just calls `fn`: single-document updates are
 * atomic there already.
 */
export class DocumentLocks {
  /** Writers of this process queue here first, so the lock document is only contended across processes. */
  private readonly local = new Map<string, Promise<unknown>>();

  constructor(private readonly connection: Connection | null) {}

  get enabled(): boolean {
    return this.connection !== null;
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const connection = this.connection;
    if (!connection) return fn();
    const previous = this.local.get(key) ?? Promise.resolve();
    let outcome!: { resolve: (value: T) => void; reject: (error: unknown) => void };
    const result = new Promise<T>((resolve, reject) => (outcome = { resolve, reject }));
    // The caller gets fn's result as soon as fn is done; deleting the lock document overlaps with
    // its next step. The next writer of this process for the same key queues on `mine`, which
    // settles only after that delete, so it never finds this process's own lock still there.
    const mine = previous.then(async () => {
      const collection = connection.collection<LockDocument>(LOCK_COLLECTION);
      const owner = randomUUID();
      try {
        await acquire(collection, key, owner);
      } catch (error) {
        outcome.reject(error);
        return;
      }
      try {
        outcome.resolve(await fn());
      } catch (error) {
        outcome.reject(error);
      }
      await collection.deleteOne({ _id: key, owner }).catch(() => undefined);
    });
    this.local.set(key, mine);
    void mine.then(() => {
      if (this.local.get(key) === mine) this.local.delete(key);
    });
    return result;
  }
}

async function acquire(collection: Collection<LockDocument>, key: string, owner: string): Promise<void> {
  const deadline = Date.now() + ACQUIRE_TIMEOUT_MS;
  for (let round = 0; ; round++) {
    try {
      await collection.insertOne({ _id: key, owner, until: new Date(Date.now() + LOCK_TTL_MS) });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const held = await collection.findOne({ _id: key });
    if (held && held.until.getTime() < Date.now()) {
      // Left behind by a crashed writer: remove that very lock (not one taken since) and retry.
      await collection.deleteOne({ _id: key, owner: held.owner });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the write lock on ${key}`);
    await sleep(Math.min(50, 2 ** Math.min(round, 5)) * (0.5 + Math.random()));
  }
}
