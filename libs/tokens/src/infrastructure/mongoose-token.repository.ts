import { type Model, Schema } from 'mongoose';
import type { Page } from '../../../kernel/src/index.js';
import { toPage } from '../../../kernel/src/index.js';
import type { MongoConnection } from '../../../read-store/src/mongoose/mongo-connection.js';
import {
  afterCursor,
  guardedUpdate,
  insertIfAbsent,
  modelOn,
  NEWEST_FIRST,
  olderRevisionThan,
} from '../../../read-store/src/mongoose/mongoose-support.js';
import type { TokenCreated } from '../domain/token.events.js';
import type { TokenScope } from '../domain/token-scopes.js';
import type { TokenListQuery, TokenReadRepository } from '../read-models/token-read.repository.js';
import type { TokenView } from '../read-models/token.read-model.js';

/** Timestamps stay the events' ISO strings (as in SQLite): lists page on createdAt exactly as returned. */
interface TokenDocument {
  _id: string;
  workspaceId: string;
  userId: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  revision: number;
}

const nullableString = { type: String, default: null };

const schema = new Schema<TokenDocument>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    userId: { type: String, required: true },
    name: { type: String, required: true },
    prefix: { type: String, required: true },
    hash: { type: String, required: true },
    scopes: { type: [String], required: true },
    createdAt: { type: String, required: true },
    expiresAt: nullableString,
    revokedAt: nullableString,
    lastUsedAt: nullableString,
    revision: { type: Number, required: true },
  },
  { versionKey: false, collection: 'tokens' },
);
// Authentication looks a token up by hash on every request.
schema.index({ hash: 1 }, { unique: true, name: 'tokens_hash' });
schema.index({ workspaceId: 1, createdAt: -1, _id: -1 }, { name: 'tokens_workspace_created' });

const toView = (d: TokenDocument): TokenView => ({
  id: d._id,
  workspaceId: d.workspaceId,
  userId: d.userId,
  name: d.name,
  prefix: d.prefix,
  scopes: d.scopes as TokenScope[],
  createdAt: d.createdAt,
  expiresAt: d.expiresAt ?? null,
  revokedAt: d.revokedAt ?? null,
  lastUsedAt: d.lastUsedAt ?? null,
});

export class MongooseTokenRepository implements TokenReadRepository {
  private readonly model: Model<TokenDocument>;

  private constructor(private readonly mongo: MongoConnection) {
    this.model = modelOn(mongo.connection, 'Token', schema, 'tokens');
  }

  /** Compiles the model and creates its collection and indexes before the first query. */
  static async open(mongo: MongoConnection): Promise<MongooseTokenRepository> {
    const repository = new MongooseTokenRepository(mongo);
    await repository.model.init();
    return repository;
  }

  /** Insert-if-absent: the creation is revision 0 of the stream; a replay finds the row and changes nothing. */
  async applyCreated(e: TokenCreated['data'], revision: number): Promise<void> {
    const doc: TokenDocument = {
      _id: e.tokenId,
      workspaceId: e.workspaceId,
      userId: e.userId,
      name: e.name,
      prefix: e.prefix,
      hash: e.hash,
      scopes: [...e.scopes],
      createdAt: e.createdAt,
      expiresAt: e.expiresAt,
      revokedAt: null,
      lastUsedAt: null,
      revision,
    };
    await insertIfAbsent(this.model, doc);
  }

  async applyRevoked(tokenId: string, revokedAt: string, revision: number): Promise<void> {
    await guardedUpdate(this.mongo, this.model, `tokens:${tokenId}`, tokenId, olderRevisionThan(revision), {
      $set: { revokedAt, revision },
    });
  }

  /**
   * Not cached, unlike the embedded adapter: MongoDB has no cheap "something changed" signal to
   * check per request (a change stream needs a replica set and is asynchronous, so another
   * instance's revocation could arrive after the next request), so every request reads.
   */
  async findByHash(hash: string): Promise<TokenView | null> {
    const doc = await this.model.findOne({ hash }).lean<TokenDocument>();
    return doc ? toView(doc) : null;
  }

  async findById(workspaceId: string, tokenId: string): Promise<TokenView | null> {
    // By `_id` alone (a point read on FerretDB too); the workspace is checked here.
    const doc = await this.model.collection.findOne<TokenDocument>({ _id: tokenId } as never);
    return doc && doc.workspaceId === workspaceId ? toView(doc) : null;
  }

  async list(q: TokenListQuery): Promise<Page<TokenView>> {
    const filter = {
      workspaceId: q.workspaceId,
      ...(q.includeRevoked ? {} : { revokedAt: null }),
      ...afterCursor(q.cursor),
    };
    const docs = await this.model
      .find(filter)
      .sort(NEWEST_FIRST)
      .limit(q.limit + 1)
      .lean<TokenDocument[]>();
    return toPage(docs.map(toView), q.limit, (v) => ({ t: v.createdAt, id: v.id }));
  }

  /** Only ever moves forward; goes through the document lock like the projection's writes (FerretDB). */
  async touchLastUsed(tokenId: string, at: string): Promise<void> {
    await guardedUpdate(
      this.mongo,
      this.model,
      `tokens:${tokenId}`,
      tokenId,
      {
        filter: { $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: at } }] },
        fields: ['lastUsedAt'],
        holds: (stored) => stored.lastUsedAt == null || (stored.lastUsedAt as string) < at,
      },
      { $set: { lastUsedAt: at } },
    );
  }

  async clear(): Promise<void> {
    await this.model.deleteMany({});
  }
}
