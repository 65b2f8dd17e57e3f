export const CHECKPOINT_STORE = Symbol('CHECKPOINT_STORE');

export interface Checkpoint {
  name: string;
  position: number;
  updatedAt: string;
}

/** Where each projection (and the saga) remembers the last store position it has applied. */
export interface CheckpointStore {
  get(name: string): Promise<number>;
  save(name: string, position: number): Promise<void>;
  list(): Promise<Checkpoint[]>;
}
