import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadDatabase } from '../embedded/sqlite-read-database.js';
import type { ContractFactory } from './contract-suite.js';

export interface SqliteContractContext {
  /** A new handle on the fixture's read-model file. */
  db: SqliteReadDatabase;
  /** The fixture's directory, for adapters with a file of their own (the key vault). */
  dir: string;
  /** Registers something to close at the end of the test. */
  onClose(close: () => void): void;
}

/**
 * Embedded fixtures: a fresh directory per test with one read-model file; each `open` is a new
 * connection to that file, as a second process sharing DATA_DIR would have.
 */
export function sqliteContractFactory<T>(
  open: (context: SqliteContractContext) => T | Promise<T>,
): ContractFactory<T> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'read-store-contract-'));
    const closers: Array<() => void> = [];
    const file = join(dir, 'read-models.db');
    return {
      open: async () => {
        const db = new SqliteReadDatabase(file);
        closers.push(() => db.close());
        return open({ db, dir, onClose: (close) => closers.push(close) });
      },
      settle: async () => SqliteReadDatabase.flushAll(file),
      cleanup: async () => {
        for (const close of closers.reverse()) close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}
