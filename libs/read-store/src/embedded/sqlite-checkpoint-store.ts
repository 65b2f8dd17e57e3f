import type { Checkpoint, CheckpointStore } from '../checkpoint-store.port.js';
import type { SqliteReadDatabase } from './sqlite-read-database.js';

export class SqliteCheckpointStore implements CheckpointStore {
  private readonly stmts;

  constructor(private readonly readDb: SqliteReadDatabase) {
    const db = readDb.db;
    db.exec(
      `CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT NOT NULL)`,
    );
    this.stmts = {
      get: db.prepare<[string], { position: number }>('SELECT position FROM checkpoints WHERE name = ?'),
      // Never moves backwards: two processes sharing the file may race.
      save: db.prepare(
        `INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = MAX(position, excluded.position), updated_at = excluded.updated_at`,
      ),
      reset: db.prepare('DELETE FROM checkpoints WHERE name = ?'),
      list: db.prepare<[], { name: string; position: number; updated_at: string }>(
        'SELECT * FROM checkpoints ORDER BY name',
      ),
    };
  }

  async get(name: string): Promise<number> {
    return this.stmts.get.get(name)?.position ?? 0;
  }

  async save(name: string, position: number): Promise<void> {
    this.readDb.write(() => this.stmts.save.run(name, position, new Date().toISOString()));
  }

  async list(): Promise<Checkpoint[]> {
    return this.stmts.list
      .all()
      .map((r) => ({ name: r.name, position: r.position, updatedAt: r.updated_at }));
  }
}
