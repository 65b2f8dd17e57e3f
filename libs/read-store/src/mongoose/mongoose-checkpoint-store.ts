import { type Model, Schema } from 'mongoose';
import type { Checkpoint, CheckpointStore } from '../checkpoint-store.port.js';
import type { MongoConnection } from './mongo-connection.js';
import { isDuplicateKeyError, modelOn } from './mongoose-support.js';

interface CheckpointDocument {
  _id: string;
  position: number;
  updatedAt: string;
}

const schema = new Schema<CheckpointDocument>(
  {
    _id: { type: String, required: true },
    position: { type: Number, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, collection: 'checkpoints' },
);

/** Projection and saga checkpoints, one document per name (`_id`). */
export class MongooseCheckpointStore implements CheckpointStore {
  private readonly model: Model<CheckpointDocument>;

  private constructor(private readonly mongo: MongoConnection) {
    this.model = modelOn(mongo.connection, 'Checkpoint', schema, 'checkpoints');
  }

  static async open(mongo: MongoConnection): Promise<MongooseCheckpointStore> {
    const store = new MongooseCheckpointStore(mongo);
    await store.model.init();
    return store;
  }

  async get(name: string): Promise<number> {
    const doc = await this.model.findById(name, { position: 1 }).lean<Pick<CheckpointDocument, 'position'>>();
    return doc?.position ?? 0;
  }

  /** Never moves backwards (`$max`): processes sharing the store may save out of order. */
  async save(name: string, position: number): Promise<void> {
    const update = { $max: { position }, $set: { updatedAt: new Date().toISOString() } };
    await this.mongo.locks.run(`checkpoints:${name}`, async () => {
      try {
        await this.model.updateOne({ _id: name }, update, { upsert: true });
      } catch (error) {
        // Two first saves raced and the other one inserted: the document exists now, update it.
        if (!isDuplicateKeyError(error)) throw error;
        await this.model.updateOne({ _id: name }, update);
      }
    });
  }

  async list(): Promise<Checkpoint[]> {
    const docs = await this.model.find().sort({ _id: 1 }).lean<CheckpointDocument[]>();
    return docs.map((d) => ({ name: d._id, position: d.position, updatedAt: d.updatedAt }));
  }
}
