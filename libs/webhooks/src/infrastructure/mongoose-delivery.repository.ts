import { type Model, Schema } from 'mongoose';
import type { Page } from '../../../kernel/src/index.js';
import { toPage } from '../../../kernel/src/index.js';
import type { MongoConnection } from '../../../read-store/src/mongoose/mongo-connection.js';
import {
  afterCursor,
  guardedUpdate,
  insertIfAbsent,
  isDuplicateKeyError,
  modelOn,
  NEWEST_FIRST,
  olderRevisionThan,
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
 * `nextAttemptAt` is a BSON date (compared with the dispatcher's `now`); `createdAt` stays the
 * event's ISO string because list cursors compare it exactly. Only the projection writes these
 * documents; the dispatcher's leases live in `delivery_leases` (see claimDue), so a lease never
 * competes with a projection write for the same document.
 */
interface DeliveryDocument {
  _id: string;
  endpointId: string;
  workspaceId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  /** Only while pending; null otherwise. */
  nextAttemptAt: Date | null;
  createdAt: string;
  view: DeliveryView;
  revision: number;
}

/**
 * One link of a delivery's lease chain: `_id` is `<deliveryId>~<link>`, links 0, 1, 2, … The newest
 * link is the lease; a dispatcher takes it over only by inserting the next link, so of two claimers
 * exactly one wins (an insert on `_id` is atomic on MongoDB and on FerretDB alike). A link is only
 * ever written again by its owner, to release it (`until` in the past).
 */
interface LeaseDocument {
  _id: string;
  deliveryId: string;
  owner: string;
  until: Date;
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

/** What this instance knows about a pending delivery (see `due`). */
interface DueEntry {
  endpointId: string;
  /** nextAttemptAt, ms since the epoch. */
  at: number;
  revision: number;
  /** Change counter when this entry was last written, to merge a rescan that ran meanwhile. */
  seq: number;
  /** The newest lease link seen for it (by a claim or a release through this instance). */
  lease?: { link: number; owner: string; until: number };
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
  },
  { versionKey: false, minimize: false, collection: 'deliveries' },
);
deliverySchema.index({ endpointId: 1, createdAt: -1, _id: -1 }, { name: 'deliveries_endpoint_created' });
deliverySchema.index({ status: 1, nextAttemptAt: 1 }, { name: 'deliveries_due' });

const leaseSchema = new Schema<LeaseDocument>(
  {
    _id: { type: String, required: true },
    deliveryId: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false, collection: 'delivery_leases' },
);

const linkId = (deliveryId: string, link: number) => `${deliveryId}~${link}`;

/** How often a live instance re-reads the pending deliveries from the store (see `due`). */
const DEFAULT_RESCAN_MS = 10_000;

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

export interface MongooseDeliveryRepositoryOptions {
  /** How often claimDue/nextDueAt re-read the pending deliveries from the store; default 10 s. */
  rescanMs?: number;
}

/**
 * Deliveries on MongoDB (or FerretDB). The due queue is kept in memory per instance, the leases in
 * the store:
 *
 * - `due` holds every pending delivery this instance knows of: loaded from the store by the first
 *   claimDue/nextDueAt, kept current by every view that passes through `get` and `save` — the
 *   delivery projection runs in every process and reads each delivery before it applies an event,
 *   so this is as fresh as the process's own read model — and re-read from the store every
 *   `rescanMs` in the background, for deliveries written by instances whose events this one has
 *   not projected (yet). Claiming therefore needs no query over the deliveries: on FerretDB 1.x,
 *   which pushes down only `{_id: …}` filters to SQLite, every such query reads and decodes the
 *   whole collection (~50 µs per document), and the claim query ran several times per delivery.
 * - A claim is decided in the store, never by `due`: the claimer inserts the next link of the
 *   delivery's lease chain (atomic everywhere), then reads the view by `_id` and keeps the lease
 *   only if the delivery is still pending and due. Reading after the insert is what makes a stale
 *   `due` entry harmless: whoever held the lease before released it only after the read model
 *   showed that attempt's outcome, so the read after winning the next link sees it.
 */
export class MongooseDeliveryRepository implements DeliveryReadRepository {
  private readonly deliveries: Model<DeliveryDocument>;
  private readonly attempts: Model<AttemptDocument>;
  private readonly leases: Model<LeaseDocument>;
  private readonly due = new Map<string, DueEntry>();
  private readonly rescanMs: number;
  private seq = 0;
  private scannedAt = 0;
  private loaded = false;
  private scanning: Promise<void> | undefined;
  /** Bumped by clear(): a scan that started before it must not refill `due`. */
  private epoch = 0;

  private constructor(
    private readonly mongo: MongoConnection,
    options: MongooseDeliveryRepositoryOptions,
  ) {
    this.deliveries = modelOn(mongo.connection, 'Delivery', deliverySchema, 'deliveries');
    this.attempts = modelOn(mongo.connection, 'DeliveryAttempt', attemptSchema, 'delivery_attempts');
    this.leases = modelOn(mongo.connection, 'DeliveryLease', leaseSchema, 'delivery_leases');
    this.rescanMs = options.rescanMs ?? DEFAULT_RESCAN_MS;
  }

  static async open(
    mongo: MongoConnection,
    options: MongooseDeliveryRepositoryOptions = {},
  ): Promise<MongooseDeliveryRepository> {
    const repository = new MongooseDeliveryRepository(mongo, options);
    await Promise.all([repository.deliveries.init(), repository.attempts.init(), repository.leases.init()]);
    return repository;
  }

  async get(deliveryId: string): Promise<StoredDelivery | null> {
    const doc = await this.deliveries.collection.findOne<Pick<DeliveryDocument, 'view' | 'revision'>>(
      { _id: deliveryId } as never,
      { projection: { view: 1, revision: 1 } },
    );
    if (!doc) return null;
    this.observe(deliveryId, doc.view, doc.revision);
    return { view: doc.view, revision: doc.revision };
  }

  /** A newer revision only (see guardedUpdate); revision 0 is the stream's first event, a plain insert. */
  async save(view: DeliveryView, revision: number): Promise<void> {
    const id = view.deliveryId;
    const fields = {
      endpointId: view.endpointId,
      workspaceId: view.workspaceId,
      eventId: view.eventId,
      eventType: view.eventType,
      status: view.status,
      nextAttemptAt: view.status === 'pending' && view.nextAttemptAt ? new Date(view.nextAttemptAt) : null,
      createdAt: view.createdAt,
      view,
      revision,
    };
    const written =
      revision === 0
        ? await insertIfAbsent(this.deliveries, { _id: id, ...fields })
        : await guardedUpdate(
            this.mongo,
            this.deliveries,
            `deliveries:${id}`,
            id,
            olderRevisionThan(revision),
            { $set: fields },
            { upsert: true },
          );
    if (written) this.observe(id, view, revision);
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
      await this.attempts.collection.insertOne(doc as never);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // already stored: a replay
    }
  }

  /** By `_id` (a point read on FerretDB too), the workspace checked here. */
  async findById(
    workspaceId: string,
    deliveryId: string,
  ): Promise<(DeliveryView & { attempts: AttemptRecord[] }) | null> {
    const doc = await this.deliveries.collection.findOne<Pick<DeliveryDocument, 'view' | 'workspaceId'>>(
      { _id: deliveryId } as never,
      { projection: { view: 1, workspaceId: 1 } },
    );
    if (!doc || doc.workspaceId !== workspaceId) return null;
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
   * Takes candidates from `due` in `nextAttemptAt` order (endpoints in `busyEndpoints` or without
   * `roomOf` left skipped), leases them concurrently, and takes further candidates for those it
   * lost, until `limit` are leased or none are left.
   */
  async claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
    owner: string,
    busyEndpoints: string[],
    roomOf?: (endpointId: string) => number,
  ): Promise<ClaimedDelivery[]> {
    await this.refresh();
    const nowMs = now.getTime();
    const full = new Set(busyEndpoints);
    const candidates = [...this.due]
      .filter(([, e]) => e.at <= nowMs && !(e.lease && e.lease.until > nowMs) && !full.has(e.endpointId))
      .sort(([idA, a], [idB, b]) => a.at - b.at || (idA < idB ? -1 : idA > idB ? 1 : 0));
    const room = new Map<string, number>();
    const roomLeft = (endpointId: string) =>
      room.get(endpointId) ?? roomOf?.(endpointId) ?? Number.POSITIVE_INFINITY;
    const claimed: ClaimedDelivery[] = [];
    let next = 0;
    while (claimed.length < limit && next < candidates.length) {
      // Pick as many as are still wanted, within each endpoint's room (counting those in this batch).
      const batch: Array<[string, DueEntry]> = [];
      const pending = new Map<string, number>();
      while (next < candidates.length && claimed.length + batch.length < limit) {
        const candidate = candidates[next++]!;
        const endpointId = candidate[1].endpointId;
        if (roomLeft(endpointId) - (pending.get(endpointId) ?? 0) <= 0) continue;
        pending.set(endpointId, (pending.get(endpointId) ?? 0) + 1);
        batch.push(candidate);
      }
      const views = await Promise.all(
        batch.map(([id, entry]) => this.claimOne(id, entry, nowMs, leaseMs, owner)),
      );
      for (const view of views) {
        if (!view || claimed.length >= limit) continue;
        claimed.push({ view, leaseOwner: owner });
        room.set(view.endpointId, roomLeft(view.endpointId) - 1);
      }
    }
    return claimed;
  }

  /** Leases one delivery, then checks it in the store; the view when it is this claimer's to attempt. */
  private async claimOne(
    id: string,
    entry: DueEntry,
    nowMs: number,
    leaseMs: number,
    owner: string,
  ): Promise<DeliveryView | null> {
    const link = await this.takeLease(id, entry, nowMs, nowMs + leaseMs, owner);
    if (link === null) return null;
    const doc = await this.deliveries.collection.findOne<Pick<DeliveryDocument, 'view' | 'revision'>>(
      { _id: id } as never,
      { projection: { view: 1, revision: 1 } },
    );
    if (doc) this.observe(id, doc.view, doc.revision);
    const view = doc?.view;
    if (view?.status === 'pending' && view.nextAttemptAt && Date.parse(view.nextAttemptAt) <= nowMs)
      return view;
    // Finished, rescheduled or gone since `due` saw it: not due after all. Hand the link back.
    await this.writeRelease(id, link);
    return null;
  }

  /**
   * Inserts the next link of `id`'s lease chain after the newest one known, if that one has expired
   * or was released. The link number, or null when someone else holds the lease (or won the link).
   */
  private async takeLease(
    id: string,
    entry: DueEntry,
    nowMs: number,
    untilMs: number,
    owner: string,
  ): Promise<number | null> {
    // Only past a link known to be expired or released; a link held (or taken by a concurrent
    // claim of this instance) ends the attempt. Without any known link, the chain starts at 0.
    const known = this.due.get(id)?.lease ?? entry.lease;
    if (known && known.until > nowMs) return null;
    let link = known ? known.link + 1 : 0;
    for (;;) {
      try {
        await this.leases.collection.insertOne({
          _id: linkId(id, link),
          deliveryId: id,
          owner,
          until: new Date(untilMs),
        } as never);
        this.noteLease(id, { link, owner, until: untilMs });
        return link;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const held = await this.leases.collection.findOne<LeaseDocument>({ _id: linkId(id, link) } as never);
      if (!held) continue; // removed by clear() meanwhile: try the same link again
      const lease = { link, owner: held.owner, until: held.until.getTime() };
      this.noteLease(id, lease);
      if (lease.until > nowMs) return null;
      link++;
    }
  }

  /**
   * A link's end only ever moves earlier (a release), so for the same link the earlier end wins: a
   * read of the link that raced with its release must not bring the lease back for a minute.
   */
  private noteLease(id: string, lease: NonNullable<DueEntry['lease']>): void {
    const entry = this.due.get(id);
    if (!entry) return;
    const known = entry.lease;
    if (!known || known.link < lease.link || (known.link === lease.link && lease.until < known.until))
      entry.lease = lease;
  }

  /** Only the owner of a link writes it again; a release sets its end in the past. */
  private async writeRelease(id: string, link: number): Promise<void> {
    await this.leases.collection.updateOne({ _id: linkId(id, link) } as never, {
      $set: { until: new Date(0) },
    });
    // Also when the entry lost its lease note (re-created by a save meanwhile).
    this.noteLease(id, { link, owner: '', until: 0 });
  }

  /** Releases the newest link of the chain if `owner` holds it. */
  async releaseLease(deliveryId: string, owner: string): Promise<void> {
    const known = this.due.get(deliveryId)?.lease;
    let link = known ? known.link : 0;
    let newest: LeaseDocument | null = null;
    // Walk to the newest link (usually the known one, or one or two past it).
    for (;;) {
      const doc = await this.leases.collection.findOne<LeaseDocument>({
        _id: linkId(deliveryId, link),
      } as never);
      if (!doc) break;
      newest = doc;
      link++;
    }
    if (!newest || newest.owner !== owner || newest.until.getTime() <= 0) return;
    await this.writeRelease(deliveryId, link - 1);
  }

  /** Earliest nextAttemptAt among the pending deliveries, leaving out those under a lease seen here. */
  async nextDueAt(): Promise<Date | null> {
    await this.refresh();
    const nowMs = Date.now();
    let min = Number.POSITIVE_INFINITY;
    for (const entry of this.due.values()) {
      if (entry.lease && entry.lease.until > nowMs) continue;
      if (entry.at < min) min = entry.at;
    }
    return Number.isFinite(min) ? new Date(min) : null;
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
      .find(
        {
          endpointId,
          eventId: { $in: eventIds },
          $or: [{ status: 'succeeded' }, { 'view.succeededOnce': true }],
        },
        { eventId: 1 },
      )
      .lean<Pick<DeliveryDocument, 'eventId'>[]>();
    return new Set(docs.map((d) => d.eventId));
  }

  async clear(): Promise<void> {
    this.epoch++;
    this.due.clear();
    this.loaded = false;
    this.scannedAt = 0;
    await Promise.all([
      this.deliveries.deleteMany({}),
      this.attempts.deleteMany({}),
      this.leases.deleteMany({}),
    ]);
  }

  /** A view read from or written to the store: `due` follows it unless it already knows a newer revision. */
  private observe(id: string, view: DeliveryView, revision: number): void {
    const entry = this.due.get(id);
    if (entry && entry.revision > revision) return;
    if (view.status === 'pending' && view.nextAttemptAt) {
      this.due.set(id, {
        endpointId: view.endpointId,
        at: Date.parse(view.nextAttemptAt),
        revision,
        seq: ++this.seq,
        ...(entry?.lease ? { lease: entry.lease } : {}),
      });
    } else {
      this.due.delete(id);
    }
  }

  /** Loads `due` on first use (waiting for it), then re-reads it every `rescanMs` in the background. */
  private async refresh(): Promise<void> {
    if (!this.loaded) {
      await (this.scanning ??= this.scan());
      return;
    }
    if (!this.scanning && Date.now() - this.scannedAt >= this.rescanMs) {
      this.scanning = this.scan();
      this.scanning.catch(() => undefined);
    }
  }

  /**
   * Merges the store's pending deliveries into `due`. An entry the store no longer shows as pending
   * is dropped unless it changed after the scan began (its own save may be newer than the scan).
   */
  private async scan(): Promise<void> {
    const epoch = this.epoch;
    const seqAtStart = this.seq;
    const startedAt = Date.now();
    try {
      const docs = await this.deliveries.collection
        .find<Pick<DeliveryDocument, '_id' | 'endpointId' | 'nextAttemptAt' | 'revision'>>(
          { status: 'pending' } as never,
          { projection: { _id: 1, endpointId: 1, nextAttemptAt: 1, revision: 1 } },
        )
        .toArray();
      if (epoch !== this.epoch) return;
      const seen = new Set<string>();
      for (const doc of docs) {
        if (!doc.nextAttemptAt) continue;
        seen.add(doc._id);
        const entry = this.due.get(doc._id);
        if (entry && entry.revision >= doc.revision) continue;
        this.due.set(doc._id, {
          endpointId: doc.endpointId,
          at: new Date(doc.nextAttemptAt).getTime(),
          revision: doc.revision,
          seq: ++this.seq,
          ...(entry?.lease ? { lease: entry.lease } : {}),
        });
      }
      for (const [id, entry] of this.due) {
        if (!seen.has(id) && entry.seq <= seqAtStart) this.due.delete(id);
      }
      this.loaded = true;
      this.scannedAt = startedAt;
    } finally {
      this.scanning = undefined;
    }
  }
}
