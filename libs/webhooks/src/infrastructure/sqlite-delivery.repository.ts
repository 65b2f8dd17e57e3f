import type { Page } from '../../../kernel/src/index.js';
import { toPage } from '../../../kernel/src/index.js';
import type { SqliteReadDatabase } from '../../../read-store/src/embedded/sqlite-read-database.js';
import type { AttemptRecord } from '../domain/delivery.events.js';
import type {
  ClaimedDelivery,
  DeliveryListQuery,
  DeliveryReadRepository,
  DeliveryView,
  StoredDelivery,
} from '../read-models/delivery-read.repository.js';

interface Row {
  view: string;
  revision: number;
}

export class SqliteDeliveryRepository implements DeliveryReadRepository {
  private readonly stmts;
  /** Write-behind buffer used only while a rebuild replays into a fresh, private generation. */
  private batch: Map<string, StoredDelivery> | null = null;

  constructor(private readonly readDb: SqliteReadDatabase) {
    readDb.db.exec(`
      CREATE TABLE IF NOT EXISTS deliveries (
        id TEXT PRIMARY KEY, endpoint_id TEXT NOT NULL, workspace_id TEXT NOT NULL, event_id TEXT NOT NULL,
        event_type TEXT NOT NULL, status TEXT NOT NULL, next_attempt_at TEXT, created_at TEXT NOT NULL,
        view TEXT NOT NULL, revision INTEGER NOT NULL, lease_owner TEXT, lease_until TEXT
      );
      CREATE INDEX IF NOT EXISTS deliveries_endpoint ON deliveries (endpoint_id, created_at DESC, id DESC);
      CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at);
      CREATE TABLE IF NOT EXISTS delivery_attempts (
        delivery_id TEXT NOT NULL, attempt INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (delivery_id, attempt)
      );
    `);
    const db = readDb.db;
    this.stmts = {
      get: db.prepare<[string], Row>('SELECT view, revision FROM deliveries WHERE id = ?'),
      upsert: db.prepare(
        `INSERT INTO deliveries (id, endpoint_id, workspace_id, event_id, event_type, status, next_attempt_at, created_at, view, revision)
         VALUES (@id, @endpointId, @workspaceId, @eventId, @eventType, @status, @nextAttemptAt, @createdAt, @view, @revision)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, next_attempt_at = excluded.next_attempt_at,
           view = excluded.view, revision = excluded.revision
         WHERE excluded.revision > deliveries.revision`,
      ),
      addAttempt: db.prepare(
        'INSERT OR IGNORE INTO delivery_attempts (delivery_id, attempt, record) VALUES (?, ?, ?)',
      ),
      attempts: db.prepare<[string], { record: string }>(
        'SELECT record FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt',
      ),
      byId: db.prepare<[string, string], Row>(
        'SELECT view, revision FROM deliveries WHERE workspace_id = ? AND id = ?',
      ),
      release: db.prepare(
        'UPDATE deliveries SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?',
      ),
      nextDue: db.prepare<[string], { at: string | null }>(
        `SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < ?)`,
      ),
      // The head of the due queue, without the endpoints already at their concurrency limit.
      dueHead: db.prepare<[string, string, string, number], { id: string; endpoint_id: string }>(
        `SELECT id, endpoint_id FROM deliveries
         WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
           AND endpoint_id NOT IN (SELECT value FROM json_each(?))
         ORDER BY next_attempt_at LIMIT ?`,
      ),
      lease: db.prepare<[string, string, string, string], Row>(
        `UPDATE deliveries SET lease_owner = ?, lease_until = ?
         WHERE id IN (SELECT value FROM json_each(?)) AND (lease_until IS NULL OR lease_until < ?)
         RETURNING view, revision`,
      ),
      pendingByEndpoint: db.prepare<[string], { id: string }>(
        `SELECT id FROM deliveries WHERE endpoint_id = ? AND status = 'pending'`,
      ),
      clear: db.prepare('DELETE FROM deliveries'),
      clearAttempts: db.prepare('DELETE FROM delivery_attempts'),
    };
  }

  /** Bulk replay: keep folded rows in memory and write each once per batch (see flushBatch). */
  beginBatch(): void {
    this.batch = new Map();
  }

  flushBatch(): void {
    const batch = this.batch;
    this.batch = null;
    if (batch) for (const { view, revision } of batch.values()) this.write(view, revision);
  }

  async get(deliveryId: string): Promise<StoredDelivery | null> {
    const buffered = this.batch?.get(deliveryId);
    if (buffered) return buffered;
    const row = this.stmts.get.get(deliveryId);
    return row ? { view: JSON.parse(row.view) as DeliveryView, revision: row.revision } : null;
  }

  async save(view: DeliveryView, revision: number): Promise<void> {
    if (this.batch) {
      this.batch.set(view.deliveryId, { view, revision });
      return;
    }
    this.write(view, revision);
  }

  private write(view: DeliveryView, revision: number): void {
    this.readDb.write(() =>
      this.stmts.upsert.run({
        id: view.deliveryId,
        endpointId: view.endpointId,
        workspaceId: view.workspaceId,
        eventId: view.eventId,
        eventType: view.eventType,
        status: view.status,
        nextAttemptAt: view.status === 'pending' ? view.nextAttemptAt : null,
        createdAt: view.createdAt,
        view: JSON.stringify(view),
        revision,
      }),
    );
  }

  async addAttempt(deliveryId: string, attempt: AttemptRecord): Promise<void> {
    this.readDb.write(() => this.stmts.addAttempt.run(deliveryId, attempt.attempt, JSON.stringify(attempt)));
  }

  async findById(
    workspaceId: string,
    deliveryId: string,
  ): Promise<(DeliveryView & { attempts: AttemptRecord[] }) | null> {
    const row = this.stmts.byId.get(workspaceId, deliveryId);
    if (!row) return null;
    const attempts = this.stmts.attempts.all(deliveryId).map((a) => JSON.parse(a.record) as AttemptRecord);
    return { ...(JSON.parse(row.view) as DeliveryView), attempts };
  }

  async listByEndpoint(q: DeliveryListQuery): Promise<Page<DeliveryView>> {
    const where = ['workspace_id = @workspaceId', 'endpoint_id = @endpointId'];
    if (q.status) where.push('status = @status');
    if (q.eventType) where.push('event_type = @eventType');
    if (q.cursor) where.push('(created_at < @t OR (created_at = @t AND id < @id))');
    const rows = this.readDb.db
      .prepare<Record<string, unknown>, Row>(
        `SELECT view, revision FROM deliveries WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @limit`,
      )
      .all({ ...q, t: q.cursor?.t, id: q.cursor?.id, cursor: undefined, limit: q.limit + 1 });
    return toPage(
      rows.map((r) => JSON.parse(r.view) as DeliveryView),
      q.limit,
      (d) => ({ t: d.createdAt, id: d.deliveryId }),
    );
  }

  async claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
    owner: string,
    busyEndpoints: string[],
    roomOf?: (endpointId: string) => number,
  ): Promise<ClaimedDelivery[]> {
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    // Read the head of the due queue, pick within each endpoint's room, lease the picks with one
    // UPDATE; the group transaction holds the write lock (BEGIN IMMEDIATE), so read + lease stay
    // atomic even with other processes on the same file.
    const rows = this.readDb.write((): Row[] => {
      const picked: string[] = [];
      const left = new Map<string, number>();
      const head = this.stmts.dueHead.all(
        nowIso,
        nowIso,
        JSON.stringify(busyEndpoints),
        Math.max(64, 2 * limit),
      );
      for (const r of head) {
        const room = left.get(r.endpoint_id) ?? roomOf?.(r.endpoint_id) ?? Number.POSITIVE_INFINITY;
        if (room <= 0) continue;
        left.set(r.endpoint_id, room - 1);
        picked.push(r.id);
        if (picked.length >= limit) break;
      }
      return picked.length === 0 ? [] : this.stmts.lease.all(owner, until, JSON.stringify(picked), nowIso);
    });
    return rows.map((r) => ({
      view: JSON.parse(r.view) as DeliveryView,
      leaseOwner: owner,
      revision: r.revision,
    }));
  }

  async releaseLease(deliveryId: string, owner: string): Promise<void> {
    this.readDb.write(() => this.stmts.release.run(deliveryId, owner));
  }

  async nextDueAt(): Promise<Date | null> {
    const at = this.stmts.nextDue.get(new Date().toISOString())?.at;
    return at ? new Date(at) : null;
  }

  async pendingIdsByEndpoint(endpointId: string): Promise<string[]> {
    return this.stmts.pendingByEndpoint.all(endpointId).map((r) => r.id);
  }

  async succeededEventIds(endpointId: string, eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = this.readDb.db
      .prepare<unknown[], { event_id: string }>(
        `SELECT DISTINCT event_id FROM deliveries WHERE endpoint_id = ?
         AND (status = 'succeeded' OR json_extract(view, '$.succeededOnce') = 1) AND event_id IN (${eventIds.map(() => '?').join(',')})`,
      )
      .all(endpointId, ...eventIds);
    return new Set(rows.map((r) => r.event_id));
  }

  async clear(): Promise<void> {
    this.readDb.write(() => {
      this.stmts.clear.run();
      this.stmts.clearAttempts.run();
    });
  }
}
