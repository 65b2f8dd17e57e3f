import { type Model, Schema } from 'mongoose';
import { randomBytes } from 'node:crypto';
import type { MongoConnection } from '../../../read-store/src/mongoose/mongo-connection.js';
import { isDuplicateKeyError, modelOn } from '../../../read-store/src/mongoose/mongoose-support.js';
import { EndpointKeyDestroyedError, type SecretVault } from '../application/secret-vault.port.js';
import { SecretCipher } from '../transport/secret-cipher.js';

interface EndpointKeyDocument {
  /** The endpoint id. */
  _id: string;
  /** The endpoint's data key, AES-256-GCM under DATA_ENCRYPTION_KEY; null once destroyed. */
  wrappedKey: string | null;
  destroyedAt: string | null;
}

const schema = new Schema<EndpointKeyDocument>(
  {
    _id: { type: String, required: true },
    wrappedKey: { type: String, default: null },
    destroyedAt: { type: String, default: null },
  },
  { versionKey: false, collection: 'endpoint_keys' },
);

/**
 * Per-endpoint data keys in the `endpoint_keys` collection. Not a read model: nothing derives
 * these keys, so no `clear()` and no rebuild ever touches this collection (drop the read models
 * collection by collection, never the whole database).
 *
 * Every call reads the key document (one `_id` lookup), so a `destroy` on any instance is effective
 * on all of them at once; only the unwrapping of a key is cached.
 */
export class MongooseSecretVault implements SecretVault {
  private readonly model: Model<EndpointKeyDocument>;
  private readonly master: SecretCipher;
  /** endpointId → the unwrapped key, valid while the stored wrapped key is still this one. */
  private readonly unwrapped = new Map<string, { wrappedKey: string; cipher: SecretCipher }>();

  private constructor(
    private readonly mongo: MongoConnection,
    masterKey: Buffer,
  ) {
    this.model = modelOn(mongo.connection, 'EndpointKey', schema, 'endpoint_keys');
    this.master = new SecretCipher(masterKey);
  }

  static async open(mongo: MongoConnection, masterKey: Buffer): Promise<MongooseSecretVault> {
    const vault = new MongooseSecretVault(mongo, masterKey);
    await vault.model.init();
    return vault;
  }

  private async read(endpointId: string): Promise<EndpointKeyDocument | null> {
    return this.model.findById(endpointId).lean<EndpointKeyDocument>();
  }

  private async keyFor(endpointId: string, create: boolean): Promise<SecretCipher | null> {
    let doc = await this.read(endpointId);
    if (!doc && create) {
      const wrappedKey = this.master.encrypt(randomBytes(32).toString('base64'), endpointId);
      try {
        // Insert-if-absent: of two instances creating the key at once, one insert wins and both use it.
        await this.model.updateOne(
          { _id: endpointId },
          { $setOnInsert: { wrappedKey, destroyedAt: null } },
          { upsert: true },
        );
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      doc = await this.read(endpointId);
    }
    if (!doc?.wrappedKey) return null;
    return this.unwrap(endpointId, doc.wrappedKey);
  }

  private unwrap(endpointId: string, wrappedKey: string): SecretCipher {
    const cached = this.unwrapped.get(endpointId);
    if (cached?.wrappedKey === wrappedKey) return cached.cipher;
    const cipher = new SecretCipher(Buffer.from(this.master.decrypt(wrappedKey, endpointId), 'base64'));
    if (this.unwrapped.size >= 10_000) this.unwrapped.clear();
    this.unwrapped.set(endpointId, { wrappedKey, cipher });
    return cipher;
  }

  async encrypt(endpointId: string, plaintext: string): Promise<string> {
    const key = await this.keyFor(endpointId, true);
    if (!key) throw new EndpointKeyDestroyedError(endpointId);
    return key.encrypt(plaintext, endpointId);
  }

  async decrypt(endpointId: string, blob: string): Promise<string | null> {
    const key = await this.keyFor(endpointId, false);
    return key ? key.decrypt(blob, endpointId) : null;
  }

  /** Crypto-shredding: the key is overwritten with null (kept as a tombstone so it is never re-created). */
  async destroy(endpointId: string): Promise<void> {
    const update = { $set: { wrappedKey: null, destroyedAt: new Date().toISOString() } };
    await this.mongo.locks.run(`endpoint_keys:${endpointId}`, async () => {
      try {
        await this.model.updateOne({ _id: endpointId }, update, { upsert: true });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await this.model.updateOne({ _id: endpointId }, update); // a concurrent create inserted first
      }
    });
    this.unwrapped.delete(endpointId);
  }
}
