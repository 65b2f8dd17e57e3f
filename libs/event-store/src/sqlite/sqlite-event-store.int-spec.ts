import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '../contract/event-store.contract.js';
import { SqliteEventStore } from './sqlite-event-store.js';

// One file for the whole suite, like one EventStoreDB server: every store the factory opens sees the same events.
let dir: string | undefined;
function databaseFile(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'sqlite-event-store-contract-'));
  return join(dir, 'events.sqlite');
}

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

eventStoreContract('sqlite', async (upcasters) => {
  const store = new SqliteEventStore({ filename: databaseFile(), upcasters, pollIntervalMs: 50 });
  return { store, cleanup: () => store.close() };
});
