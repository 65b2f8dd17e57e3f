import type { Collection, Connection, Model, Schema } from 'mongoose';
import type { MongoConnection } from './mongo-connection.js';

/** E11000: an insert (or an upsert's insert) hit a unique index. MongoDB and FerretDB both say 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 11000 || code === 11001;
}

/**
 * The model `name` on this connection, compiled once: two adapters (or two instances of one) on the
 * same connection share it instead of failing with OverwriteModelError.
 */
export function modelOn<T>(
  connection: Connection,
  name: string,
  schema: Schema<T>,
  collection: string,
): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema, collection);
}

/** Newest first by (createdAt, _id): the order of every keyset-paginated list. */
export const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

/**
 * Rows strictly after the cursor in NEWEST_FIRST order. createdAt stays the event's ISO string, as
 * in the SQLite adapter, so the cursor compares exactly what the previous page returned.
 */
export function afterCursor(cursor: { t: string; id: string } | undefined): Record<string, unknown> {
  if (!cursor) return {};
  return { $or: [{ createdAt: { $lt: cursor.t } }, { createdAt: cursor.t, _id: { $lt: cursor.id } }] };
}

/** Update operators for `guardedUpdate` (applied with `{_id}` as the only filter on a serialising server). */
export type UpdateDocument = Record<string, Record<string, unknown>>;

/** When a write may apply: as a query filter, and as a check on the stored fields it names. */
export interface WriteGuard {
  filter: Record<string, unknown>;
  fields: string[];
  holds: (doc: Record<string, unknown>) => boolean;
}

/** The guard of a projection write: it applies only over a stored revision older than `revision`. */
export function olderRevisionThan(revision: number): WriteGuard {
  return {
    filter: { revision: { $lt: revision } },
    fields: ['revision'],
    holds: (stored) => (stored.revision as number) < revision,
  };
}

/**
 * Applies `update` to document `id` only if `guard` holds for it: `guard.filter` is the same
 * condition as a query filter (used where updates are atomic), `guard.holds` as a predicate over the
 * stored fields `guard.fields` (used where they are not). Resolves to whether the update was applied.
 * With `upsert`, a missing document is created (the guard is about an existing one).
 *
 * - MongoDB (and any server whose single-document updates are atomic, `mongo.locks.enabled` false):
 *   one `updateOne({_id, ...filter})`, atomic on the server, using the `_id` index. An upsert that
 *   loses an insert race to another writer (E11000 on `_id`) means the document exists now, and
 *   then the filter (which missed it) said no.
 * - FerretDB 1.x: its updates are "query, change in Go, write the whole document back", without
 *   isolation, and any filter other than exactly `{_id}` is a scan of the whole collection (only
 *   `{_id: …}` is pushed down to SQLite). So under the document lock (DocumentLocks: one writer per
 *   document across processes) the stored fields are read by `_id`, the guard is checked here, and
 *   the update is written with `{_id}` as its only filter: two point operations instead of a scan.
 *   Every writer of such a document must go through the same lock key for this to be atomic.
 */
export async function guardedUpdate(
  mongo: MongoConnection,
  model: { collection: Collection },
  lockKey: string,
  id: string,
  guard: WriteGuard,
  update: UpdateDocument,
  options: { upsert?: boolean } = {},
): Promise<boolean> {
  const collection = model.collection;
  if (!mongo.locks.enabled) {
    try {
      const result = await collection.updateOne({ _id: id, ...guard.filter } as never, update, {
        upsert: options.upsert ?? false,
      });
      return result.matchedCount > 0 || result.upsertedCount > 0;
    } catch (error) {
      if (!options.upsert || !isDuplicateKeyError(error)) throw error;
      if (!(await collection.findOne({ _id: id } as never, { projection: { _id: 1 } }))) throw error;
      return false;
    }
  }
  return mongo.locks.run(lockKey, async () => {
    for (let round = 0; ; round++) {
      const projection = Object.fromEntries(guard.fields.map((f) => [f, 1]));
      const stored = (await collection.findOne({ _id: id } as never, { projection })) as Record<
        string,
        unknown
      > | null;
      if (stored ? !guard.holds(stored) : !options.upsert) return false;
      try {
        await collection.updateOne({ _id: id } as never, update, { upsert: !stored });
        return true;
      } catch (error) {
        // Inserted meanwhile by a writer that needs no lock (a revision-0 insert): read it again.
        if (!isDuplicateKeyError(error) || stored || round > 0) throw error;
      }
    }
  });
}

/**
 * Inserts a document that must exist only once (revision 0 of a stream, an attempt): the insert is
 * atomic on every server, so it needs no lock; E11000 on `_id` means it is there already.
 * Resolves to whether this call inserted it.
 */
export async function insertIfAbsent<D extends { _id: string }>(
  model: { collection: Collection },
  doc: D,
): Promise<boolean> {
  try {
    await model.collection.insertOne(doc as never);
    return true;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // A duplicate on another unique index (the document itself is absent) is a real error.
    if (!(await model.collection.findOne({ _id: doc._id } as never, { projection: { _id: 1 } }))) throw error;
    return false;
  }
}
