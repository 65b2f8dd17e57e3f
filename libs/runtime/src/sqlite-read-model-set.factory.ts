import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadModelSet, ReadModelSetFactory } from '../../read-store/src/index.js';
import { SqliteCheckpointStore } from '../../read-store/src/embedded/sqlite-checkpoint-store.js';
import { SqliteReadDatabase } from '../../read-store/src/embedded/sqlite-read-database.js';
import { SqliteTokenRepository } from '../../tokens/src/infrastructure/sqlite-token.repository.js';
import { SqliteDeliveryRepository } from '../../webhooks/src/infrastructure/sqlite-delivery.repository.js';
import { SqliteEndpointRepository } from '../../webhooks/src/infrastructure/sqlite-endpoint.repository.js';
import { buildProjections, READ_MODEL_TOKENS } from './read-model-registry.js';

/**
 * Embedded read models: one SQLite file per generation (`read-models.db`, then
 * `read-models-g2.db`, …) and a marker file naming the live one.
 */
export class SqliteReadModelSetFactory implements ReadModelSetFactory {
  private readonly marker: string;

  constructor(
    private readonly dataDir: string,
    private readonly onDue: (at: Date, endpointId: string) => void,
  ) {
    this.marker = join(dataDir, 'read-models.generation');
  }

  private file(generation: number): string {
    return join(this.dataDir, generation === 1 ? 'read-models.db' : `read-models-g${generation}.db`);
  }

  async activeGeneration(): Promise<number> {
    if (!existsSync(this.marker)) return 1;
    const n = Number(readFileSync(this.marker, 'utf8').trim());
    return Number.isInteger(n) && n >= 1 ? n : 1;
  }

  async activate(generation: number): Promise<void> {
    writeFileSync(this.marker + '.tmp', String(generation));
    renameSync(this.marker + '.tmp', this.marker);
  }

  async open(generation: number, options: { live: boolean }): Promise<ReadModelSet> {
    const file = this.file(generation);
    if (!options.live) removeDatabase(file); // leftovers of an interrupted rebuild
    const readDb = new SqliteReadDatabase(file);
    const tokens = new SqliteTokenRepository(readDb);
    const endpoints = new SqliteEndpointRepository(readDb);
    const deliveries = new SqliteDeliveryRepository(readDb);
    const checkpoints = new SqliteCheckpointStore(readDb);
    const repositories = new Map<symbol, object>([
      [READ_MODEL_TOKENS.tokens, tokens],
      [READ_MODEL_TOKENS.endpoints, endpoints],
      [READ_MODEL_TOKENS.deliveries, deliveries],
    ]);
    return {
      generation,
      projections: buildProjections({ tokens, endpoints, deliveries }, this.onDue),
      checkpoints,
      repositories,
      // The fresh generation has a single writer (the rebuild), so one transaction per batch is safe.
      beginBatch: () => {
        readDb.flush();
        readDb.db.exec('BEGIN');
        deliveries.beginBatch();
      },
      commitBatch: () => {
        deliveries.flushBatch();
        if (readDb.db.inTransaction) readDb.db.exec('COMMIT');
      },
      committed: () => readDb.committed(),
      ping: async () => readDb.ping(),
      close: async () => readDb.close(),
      drop: async () => {
        readDb.close();
        removeDatabase(file);
      },
    };
  }
}

function removeDatabase(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}
