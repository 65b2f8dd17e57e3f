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
import { WILDCARD } from '../domain/event-catalogue.js';
import type { ExistingEndpoint } from '../domain/endpoint.state.js';
import type { EndpointReadRepository, StoredEndpoint } from '../read-models/endpoint-read.repository.js';

/**
 * The folded endpoint state as one sub-document (`state`, exactly what the projection saved), plus
 * the top-level fields the queries filter and sort on. No user-chosen keys anywhere: FerretDB
 * rejects keys with `.` or a leading `$`.
 */
interface EndpointDocument {
  _id: string;
  workspaceId: string;
  status: ExistingEndpoint['status'];
  createdAt: string;
  events: string[];
  state: ExistingEndpoint;
  revision: number;
}

const schema = new Schema<EndpointDocument>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    status: { type: String, required: true },
    createdAt: { type: String, required: true },
    events: { type: [String], required: true },
    state: { type: Schema.Types.Mixed, required: true },
    revision: { type: Number, required: true },
  },
  { versionKey: false, minimize: false, collection: 'endpoints' },
);
schema.index({ workspaceId: 1, createdAt: -1, _id: -1 }, { name: 'endpoints_workspace_created' });

export class MongooseEndpointRepository implements EndpointReadRepository {
  private readonly model: Model<EndpointDocument>;

  private constructor(private readonly mongo: MongoConnection) {
    this.model = modelOn(mongo.connection, 'Endpoint', schema, 'endpoints');
  }

  static async open(mongo: MongoConnection): Promise<MongooseEndpointRepository> {
    const repository = new MongooseEndpointRepository(mongo);
    await repository.model.init();
    return repository;
  }

  async get(endpointId: string): Promise<StoredEndpoint | null> {
    const doc = await this.model
      .findById(endpointId, { state: 1, revision: 1 })
      .lean<Pick<EndpointDocument, 'state' | 'revision'>>();
    return doc ? { state: doc.state, revision: doc.revision } : null;
  }

  /** Writes only a newer revision; an older or equal one is the idempotent no-op (see guardedUpdate). */
  async save(state: ExistingEndpoint, revision: number): Promise<void> {
    const id = state.endpointId;
    const fields = {
      workspaceId: state.workspaceId,
      status: state.status,
      createdAt: state.createdAt,
      events: [...state.events],
      state,
      revision,
    };
    // Revision 0 is the stream's first event: a plain insert, atomic everywhere, needs no lock.
    if (revision === 0) {
      await insertIfAbsent(this.model, { _id: id, ...fields });
      return;
    }
    await guardedUpdate(
      this.mongo,
      this.model,
      `endpoints:${id}`,
      id,
      olderRevisionThan(revision),
      { $set: fields },
      { upsert: true },
    );
  }

  async findById(workspaceId: string, endpointId: string): Promise<ExistingEndpoint | null> {
    // By `_id` alone (a point read on FerretDB too); workspace and status are checked here.
    const doc = await this.model.collection.findOne<
      Pick<EndpointDocument, 'state' | 'workspaceId' | 'status'>
    >({ _id: endpointId } as never, { projection: { state: 1, workspaceId: 1, status: 1 } });
    return doc && doc.workspaceId === workspaceId && doc.status !== 'deleted' ? doc.state : null;
  }

  async list(
    workspaceId: string,
    limit: number,
    cursor?: { t: string; id: string },
  ): Promise<Page<ExistingEndpoint>> {
    const docs = await this.model
      .find({ workspaceId, status: { $ne: 'deleted' }, ...afterCursor(cursor) }, { state: 1 })
      .sort(NEWEST_FIRST)
      .limit(limit + 1)
      .lean<Pick<EndpointDocument, 'state'>[]>();
    return toPage(
      docs.map((d) => d.state),
      limit,
      (e) => ({ t: e.createdAt, id: e.endpointId }),
    );
  }

  /** `events` holds the type itself or the wildcard: both are matched in the query. */
  async findSubscribed(workspaceId: string, eventType: string): Promise<ExistingEndpoint[]> {
    const docs = await this.model
      .find({ workspaceId, status: 'enabled', events: { $in: [eventType, WILDCARD] } }, { state: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .lean<Pick<EndpointDocument, 'state'>[]>();
    return docs.map((d) => d.state);
  }

  async clear(): Promise<void> {
    await this.model.deleteMany({});
  }
}
