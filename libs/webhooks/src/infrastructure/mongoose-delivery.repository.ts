import { type Model, type QueryFilter, Schema } from 'mongoose';
import type { Page } from '../../../kernel/src/index.js';
import { toPage } from '../../../kernel/src/index.js';
import type { MongoConnection } from '../../../read-store/src/mongoose/mongo-connection.js';
import {
  afterCursor,
  isDuplicateKeyError,
  modelOn,
  NEWEST_FIRST,
  upsertIgnoringApplied,
} from '../../../read-store/src/mongoose/mongoose-support.js';
import type { AttemptRecord } from '../domain/delivery.events.js';
import type { DeliveryStatus } from '../domain/delivery.state.js';
import type {
  ClaimedDelivery,
  DeliveryListQuery,
  DeliveryReadRepository,
  DeliveryView,
  StoredDelivery,
} from '../read-models/delivery-read.repository.js';

/**
 * One document per delivery: the view as the projection saved it, plus the fields the queries use.
 * `nextAttemptAt` and `leaseUntil` are BSON dates because they are compared with the dispatcher's
 * `now` (a Date); `createdAt` stays the event's ISO string because list cursors compare it exactly.
 */
interface DeliveryDocument {
  _id: string;
  endpointId: string;
  workspaceId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  /** Only while pending; null otherwise (the due index then skips it). */
  nextAttemptAt: Date | null;
  createdAt: string;
  view: DeliveryView;
  revision: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
}

/** Header maps become name/value lists: header names may contain `.` or start with `$`, which FerretDB refuses as keys. */
interface HeaderField {
  name: string;
  value: string;
}

interface AttemptDocument extends Omit<AttemptRecord, 'requestHeaders' | 'responseHeaders'> {
  /** `<deliveryId>#<attempt>`: the same attempt stored twice collides instead of duplicating. */
  _id: string;
  deliveryId: string;
  requestHeaders: HeaderField[];
  responseHeaders: HeaderField[] | null;
}

const deliverySchema = new Schema<DeliveryDocument>(
  {
    _id: { type: String, required: true },
    endpointId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    status: { type: String, required: true },
    nextAttemptAt: { type: Date, default: null },
    createdAt: { type: String, required: true },
    view: { type: Schema.Types.Mixed, required: true },
    revision: { type: Number, required: true },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
  },
  { versionKey: false, minimize: false, collection: 'deliveries' },
);
deliverySchema.index({ endpointId: 1, createdAt: -1, _id: -1 }, { name: 'deliveries_endpoint_created' });
deliverySchema.index({ status: 1, nextAttemptAt: 1 }, { name: 'deliveries_due' });

const headerSchema = new Schema<HeaderField>(
  { name: { type: String, required: true }, value: { type: String, required: true } },
  { _id: false },
);

const attemptSchema = new Schema<AttemptDocument>(
  {
    _id: { type: String, required: true },
    deliveryId: { type: String, required: true },
    attempt: { type: Number, required: true },
    startedAt: { type: String, required: true },
    durationMs: { type: Number, required: true },
    requestHeaders: { type: [headerSchema], required: true },
    responseStatus: { type: Number, default: null },
    responseHeaders: { type: [headerSchema], default: null },
    responseBody: { type: String, default: null },
    responseBodyTruncated: { type: Boolean, required: true },
    error: { type: String, default: null },
  },
  { versionKey: false, collection: 'delivery_attempts' },
);
attemptSchema.index(
  { deliveryId: 1, attempt: 1 },
  { unique: true, name: 'delivery_attempts_delivery_attempt' },
);

const toFields = (headers: Record<string, string>): HeaderField[] =>
  Object.entries(headers).map(([name, value]) => ({ name, value }));
const fromFields = (fields: HeaderField[]): Record<string, string> =>
  Object.fromEntries(fields.map((f) => [f.name, f.value]));

function toAttemptRecord(d: AttemptDocument): AttemptRecord {
  return {
    attempt: d.attempt,
    startedAt: d.startedAt,
    durationMs: d.durationMs,
    requestHeaders: fromFields(d.requestHeaders),
    responseStatus: d.responseStatus ?? null,
    responseHeaders: d.responseHeaders ? fromFields(d.responseHeaders) : null,
    responseBody: d.responseBody ?? null,
    responseBodyTruncated: d.responseBodyTruncated,
    error: d.error ?? null,
  };
}

export class MongooseDeliveryRepository implements DeliveryReadRepository {
  private readonly deliveries: Model<DeliveryDocument>;
  private readonly attempts: Model<AttemptDocument>;

  private constructor(private readonly mongo: MongoConnection) {
    this.deliveries = modelOn(mongo.connection, 'Delivery', deliverySchema, 'deliveries');
    this.attempts = modelOn(mongo.connection, 'DeliveryAttempt', attemptSchema, 'delivery_attempts');
  }

  static async open(mongo: MongoConnection): Promise<MongooseDeliveryRepository> {
    const repository = new MongooseDeliveryRepository(mongo);
    await Promise.all([repository.deliveries.init(), repository.attempts.init()]);
    return repository;
  }

  async get(deliveryId: string): Promise<StoredDelivery | null> {
    const doc = await this.deliveries
      .findById(deliveryId, { view: 1, revision: 1 })
      .lean<Pick<DeliveryDocument, 'view' | 'revision'>>();
    return doc ? { view: doc.view, revision: doc.revision } : null;
  }

  /** A newer revision only; the lease fields are the dispatcher's and are left as they are. */
  async save(view: DeliveryView, revision: number): Promise<void> {
    const id = view.deliveryId;
    const pendingAt = view.status === 'pending' && view.nextAttemptAt ? new Date(view.nextAttemptAt) : null;
    const update = {
      $set: {
        endpointId: view.endpointId,
        workspaceId: view.workspaceId,
        eventId: view.eventId,
        eventType: view.eventType,
        status: view.status,
        nextAttemptAt: pendingAt,
        createdAt: view.createdAt,
        view,
        revision,
      },
      $setOnInsert: { leaseOwner: null, leaseUntil: null },
    };
    const write = () =>
      upsertIgnoringApplied(this.deliveries, id, () =>
        this.deliveries.updateOne({ _id: id, revision: { $lt: revision } }, update, { upsert: true }),
      );
    // Revision 0 matches no stored document: a pure insert, atomic everywhere, needs no lock.
    await (revision > 0 ? this.mongo.locks.run(`deliveries:${id}`, write) : write());
  }

  async addAttempt(deliveryId: string, attempt: AttemptRecord): Promise<void> {
    const doc: AttemptDocument = {
      ...attempt,
      _id: `${deliveryId}#${attempt.attempt}`,
      deliveryId,
      requestHeaders: toFields(attempt.requestHeaders),
      responseHeaders: attempt.responseHeaders ? toFields(attempt.responseHeaders) : null,
    };
    try {
      await this.mongo.connection
        .collection<AttemptDocument>(this.attempts.collection.collectionName)
        .insertOne(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // already stored: a replay
    }
  }

  async findById(
    workspaceId: string,
    deliveryId: string,
  ): Promise<(DeliveryView & { attempts: AttemptRecord[] }) | null> {
    const doc = await this.deliveries
      .findOne({ _id: deliveryId, workspaceId }, { view: 1 })
      .lean<Pick<DeliveryDocument, 'view'>>();
    if (!doc) return null;
    const attempts = await this.attempts.find({ deliveryId }).sort({ attempt: 1 }).lean<AttemptDocument[]>();
    return { ...doc.view, attempts: attempts.map(toAttemptRecord) };
  }

  async listByEndpoint(q: DeliveryListQuery): Promise<Page<DeliveryView>> {
    const filter = {
      workspaceId: q.workspaceId,
      endpointId: q.endpointId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.eventType ? { eventType: q.eventType } : {}),
      ...afterCursor(q.cursor),
    };
    const docs = await this.deliveries
      .find(filter, { view: 1 })
      .sort(NEWEST_FIRST)
      .limit(q.limit + 1)
      .lean<Pick<DeliveryDocument, 'view'>[]>();
    return toPage(
      docs.map((d) => d.view),
      q.limit,
      (d) => ({ t: d.createdAt, id: d.deliveryId }),
    );
  }

  /**
   * Picks due candidates in `nextAttemptAt` order, then leases each with a conditional update on its
   * `_id` that re-checks "pending, due, not leased" — atomic per document on MongoDB, and under the
   * document lock on FerretDB 1.x (whose findOneAndUpdate is not). A candidate another dispatcher
   * took in between simply does not match; the loop then looks further down the queue. An endpoint
   * whose `roomOf` is used up is left out of the following queries.
   */
  async claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
    owner: string,
    busyEndpoints: string[],
    roomOf?: (endpointId: string) => number,
  ): Promise<ClaimedDelivery[]> {
    const due: QueryFilter<DeliveryDocument> = {
      status: 'pending',
      nextAttemptAt: { $lte: now },
      $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }],
    };
    const lease = { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) } };
    const claimed: ClaimedDelivery[] = [];
    const tried: string[] = [];
    const full = new Set(busyEndpoints);
    const room = new Map<string, number>();
    while (claimed.length < limit) {
      const candidates = await this.deliveries
        .find(
          {
            ...due,
            ...(full.size > 0 ? { endpointId: { $nin: [...full] } } : {}),
            ...(tried.length > 0 ? { _id: { $nin: tried } } : {}),
          },
          { _id: 1, endpointId: 1 },
        )
        .sort({ nextAttemptAt: 1, _id: 1 })
        .limit(limit - claimed.length)
        .lean<Pick<DeliveryDocument, '_id' | 'endpointId'>[]>();
      if (candidates.length === 0) break;
      for (const { _id: id, endpointId } of candidates) {
        if (claimed.length >= limit) break;
        const left = room.get(endpointId) ?? roomOf?.(endpointId) ?? Number.POSITIVE_INFINITY;
        if (left <= 0) {
          full.add(endpointId);
          continue;
        }
        tried.push(id);
        const doc = await this.mongo.locks.run(`deliveries:${id}`, () =>
          this.deliveries
            // No projection option: FerretDB's findAndModify rejects `fields`.
            .findOneAndUpdate({ _id: id, ...due, endpointId: { $nin: [...full] } }, lease, {
              returnDocument: 'after',
            })
            .lean<Pick<DeliveryDocument, 'view'>>(),
        );
        if (!doc) continue;
        claimed.push({ view: doc.view, leaseOwner: owner });
        room.set(endpointId, left - 1);
        if (left - 1 <= 0) full.add(endpointId);
      }
    }
    return claimed;
  }

  async releaseLease(deliveryId: string, owner: string): Promise<void> {
    await this.mongo.locks.run(`deliveries:${deliveryId}`, () =>
      this.deliveries.updateOne(
        { _id: deliveryId, leaseOwner: owner },
        { $set: { leaseOwner: null, leaseUntil: null } },
      ),
    );
  }

  async nextDueAt(): Promise<Date | null> {
    const now = new Date();
    const doc = await this.deliveries
      .findOne(
        {
          status: 'pending',
          nextAttemptAt: { $ne: null },
          $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }],
        },
        { nextAttemptAt: 1 },
      )
      .sort({ nextAttemptAt: 1 })
      .lean<Pick<DeliveryDocument, 'nextAttemptAt'>>();
    return doc?.nextAttemptAt ? new Date(doc.nextAttemptAt) : null;
  }

  async pendingIdsByEndpoint(endpointId: string): Promise<string[]> {
    const docs = await this.deliveries
      .find({ endpointId, status: 'pending' }, { _id: 1 })
      .lean<Pick<DeliveryDocument, '_id'>[]>();
    return docs.map((d) => d._id);
  }

  async succeededEventIds(endpointId: string, eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const docs = await this.deliveries
      .find({ endpointId, status: 'succeeded', eventId: { $in: eventIds } }, { eventId: 1 })
      .lean<Pick<DeliveryDocument, 'eventId'>[]>();
    return new Set(docs.map((d) => d.eventId));
  }

  async clear(): Promise<void> {
    await Promise.all([this.deliveries.deleteMany({}), this.attempts.deleteMany({})]);
  }
}
