import { randomUUID } from 'node:crypto';
import { type Model, Schema } from 'mongoose';
import type { Checkpoint, CheckpointStore } from '../checkpoint-store.port.js';
import type { MongoConnection } from './mongo-connection.js';
import { modelOn } from './mongoose-support.js';

/**
 * One document per checkpoint name and store instance (`<name>|<instance>`); before this layout,
 * one per name (`_id` = name, no `name` field), which is still read.
 */
interface CheckpointDocument {
  _id: string;
  name?: string;
  position: number;
  updatedAt: string;
}

const schema = new Schema<CheckpointDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String },
    position: { type: Number, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, collection: 'checkpoints' },
);

/** An instance's document of a name that is not the newest is removed once it is this old. */
const STALE_MS = 60 * 60 * 1000;

const nameOf = (doc: CheckpointDocument) => doc.name ?? doc._id;

/**
 * Projection and saga checkpoints. Every store instance (every process) writes its own document per
 * name and the checkpoint is the highest position over them, so a save is one write that no other
 * process ever competes for: no lock, and no lost update even on FerretDB 1.x, whose updates are
 * not atomic (a shared document updated with `$max` by two processes there can move backwards, and
 * the per-document lock that prevented it cost two more writes per save — several per delivery).
 * Within the instance, saves of one name are queued, so `$max` is applied in order. `get` (run when
 * a projection starts) removes documents that are neither the highest nor recently written, so
 * restarts do not pile them up; the collection holds a few documents per name.
 */
export class MongooseCheckpointStore implements CheckpointStore {
  private readonly model: Model<CheckpointDocument>;
  private readonly instance = randomUUID();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly saved = new Map<string, number>();

  private constructor(mongo: MongoConnection) {
    this.model = modelOn(mongo.connection, 'Checkpoint', schema, 'checkpoints');
  }

  static async open(mongo: MongoConnection): Promise<MongooseCheckpointStore> {
    const store = new MongooseCheckpointStore(mongo);
    await store.model.init();
    return store;
  }

  async get(name: string): Promise<number> {
    const docs = await this.docsOf(name);
    const newest = docs.reduce<CheckpointDocument | undefined>(
      (best, d) => (!best || d.position > best.position ? d : best),
      undefined,
    );
    const staleBefore = new Date(Date.now() - STALE_MS).toISOString();
    const stale = docs.filter((d) => d !== newest && d.updatedAt < staleBefore);
    // Their positions are at most the newest one's: nothing is lost. A process that is still alive
    // just writes its document again with its next save.
    for (const d of stale) await this.model.collection.deleteOne({ _id: d._id } as never);
    return Math.max(newest?.position ?? 0, this.saved.get(name) ?? 0);
  }

  /** Never moves backwards: `$max` on this instance's own document, saves of one name in order. */
  async save(name: string, position: number): Promise<void> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const mine = previous.then(async () => {
      if (position < (this.saved.get(name) ?? 0)) return;
      await this.model.collection.updateOne(
        { _id: `${name}|${this.instance}` } as never,
        { $max: { position }, $set: { name, updatedAt: new Date().toISOString() } },
        { upsert: true },
      );
      this.saved.set(name, Math.max(position, this.saved.get(name) ?? 0));
    });
    const settled = mine.catch(() => undefined);
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    await mine;
  }

  async list(): Promise<Checkpoint[]> {
    const docs = await this.model.collection.find<CheckpointDocument>({}).toArray();
    const byName = new Map<string, Checkpoint>();
    for (const d of docs) {
      const name = nameOf(d);
      const c = byName.get(name);
      byName.set(name, {
        name,
        position: Math.max(c?.position ?? 0, d.position),
        updatedAt: c && c.updatedAt > d.updatedAt ? c.updatedAt : d.updatedAt,
      });
    }
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** This name's documents: per-instance ones and the one-per-name document of the old layout. */
  private async docsOf(name: string): Promise<CheckpointDocument[]> {
    return this.model.collection
      .find<CheckpointDocument>({ $or: [{ name }, { _id: name }] } as never)
      .toArray();
  }
}
