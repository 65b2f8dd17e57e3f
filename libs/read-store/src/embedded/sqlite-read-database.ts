import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The embedded read-model database: one SQLite file beside the event store. Repositories create
 * their own tables; read models are disposable (rebuilt from events), so there are no migrations.
 */
export class SqliteReadDatabase {
  readonly db: Database.Database;

  constructor(filename: string) {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
  }

  ping(): boolean {
    return this.db.open && this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
