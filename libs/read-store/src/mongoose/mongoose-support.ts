import type { Connection, Model, Schema } from 'mongoose';

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

/**
 * Runs an upsert guarded by `{_id, revision: {$lt: revision}}`. When the document already holds this
 * revision or a newer one the filter misses, the upsert tries to insert the same `_id` and fails
 * with E11000: that is the idempotent "already applied" outcome and is swallowed. A duplicate on any
 * other unique index (the document does not exist) is a real error and is rethrown.
 */
export async function upsertIgnoringApplied<T>(
  model: Model<T>,
  id: string,
  write: () => Promise<unknown>,
): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    if (!(await model.exists({ _id: id } as never))) throw error;
  }
}
