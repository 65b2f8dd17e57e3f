import type { CheckpointStore } from './checkpoint-store.port.js';
import type { Projection } from './projection.js';

/**
 * One generation of every read model: repositories, the projections that fill them and their
 * checkpoints, all in one place (one SQLite file, or one MongoDB database). A rebuild fills a
 * fresh generation beside the live one and switches over when it has caught up.
 */
export interface ReadModelSet {
  readonly generation: number;
  readonly projections: Projection[];
  readonly checkpoints: CheckpointStore;
  /** Repository implementations by their DI token. */
  readonly repositories: ReadonlyMap<symbol, object>;
  /** Bulk replay: group many writes (embedded: one transaction). Optional. */
  beginBatch?(): void;
  commitBatch?(): void;
  /** Resolves once every write so far is visible to other processes (embedded: the group commit). Optional. */
  committed?(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** Deletes this generation's data (the old one, after a switch). */
  drop(): Promise<void>;
}

export interface ReadModelSetFactory {
  /** The generation in use (persisted outside the read models), 1 for a new installation. */
  activeGeneration(): Promise<number>;
  open(generation: number, options: { live: boolean }): Promise<ReadModelSet>;
  /** Records which generation is live, so the next start opens it. */
  activate(generation: number): Promise<void>;
}

export const READ_MODEL_SET_FACTORY = Symbol('READ_MODEL_SET_FACTORY');
