import type { Page } from '../../../kernel/src/index.js';
import { toPage } from '../../../kernel/src/index.js';
import type { SqliteReadDatabase } from '../../../read-store/src/embedded/sqlite-read-database.js';
import { subscribesTo } from '../domain/event-catalogue.js';
import type { ExistingEndpoint } from '../domain/endpoint.state.js';
import type { EndpointReadRepository, StoredEndpoint } from '../read-models/endpoint-read.repository.js';

interface Row {
  state: string;
  revision: number;
}

export class SqliteEndpointRepository implements EndpointReadRepository {
  private readonly stmts;

  constructor(private readonly readDb: SqliteReadDatabase) {
    readDb.db.exec(`
      CREATE TABLE IF NOT EXISTS endpoints (
        id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
        state TEXT NOT NULL, revision INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS endpoints_workspace ON endpoints (workspace_id, created_at DESC, id DESC);
    `);
    const db = readDb.db;
    this.stmts = {
      get: db.prepare<[string], Row>('SELECT state, revision FROM endpoints WHERE id = ?'),
      upsert: db.prepare(
        `INSERT INTO endpoints (id, workspace_id, status, created_at, state, revision) VALUES (@id, @workspaceId, @status, @createdAt, @state, @revision)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, revision = excluded.revision
         WHERE excluded.revision > endpoints.revision`,
      ),
      byId: db.prepare<[string, string], Row>(
        `SELECT state, revision FROM endpoints WHERE workspace_id = ? AND id = ? AND status != 'deleted'`,
      ),
      enabled: db.prepare<[string], Row>(
        `SELECT state, revision FROM endpoints WHERE workspace_id = ? AND status = 'enabled'`,
      ),
      clear: db.prepare('DELETE FROM endpoints'),
    };
  }

  async get(endpointId: string): Promise<StoredEndpoint | null> {
    const row = this.stmts.get.get(endpointId);
    return row ? { state: JSON.parse(row.state) as ExistingEndpoint, revision: row.revision } : null;
  }

  async save(state: ExistingEndpoint, revision: number): Promise<void> {
    this.readDb.write(() =>
      this.stmts.upsert.run({
        id: state.endpointId,
        workspaceId: state.workspaceId,
        status: state.status,
        createdAt: state.createdAt,
        state: JSON.stringify(state),
        revision,
      }),
    );
  }

  async findById(workspaceId: string, endpointId: string): Promise<ExistingEndpoint | null> {
    const row = this.stmts.byId.get(workspaceId, endpointId);
    return row ? (JSON.parse(row.state) as ExistingEndpoint) : null;
  }

  async list(
    workspaceId: string,
    limit: number,
    cursor?: { t: string; id: string },
  ): Promise<Page<ExistingEndpoint>> {
    const rows = this.readDb.db
      .prepare<Record<string, unknown>, Row>(
        `SELECT state, revision FROM endpoints WHERE workspace_id = @workspaceId AND status != 'deleted'
         ${cursor ? 'AND (created_at < @t OR (created_at = @t AND id < @id))' : ''}
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      )
      .all({ workspaceId, t: cursor?.t, id: cursor?.id, limit: limit + 1 });
    return toPage(
      rows.map((r) => JSON.parse(r.state) as ExistingEndpoint),
      limit,
      (e) => ({ t: e.createdAt, id: e.endpointId }),
    );
  }

  async findSubscribed(workspaceId: string, eventType: string): Promise<ExistingEndpoint[]> {
    return this.stmts.enabled
      .all(workspaceId)
      .map((r) => JSON.parse(r.state) as ExistingEndpoint)
      .filter((e) => subscribesTo(e.events, eventType));
  }

  async clear(): Promise<void> {
    this.readDb.write(() => this.stmts.clear.run());
  }
}
