export const READ_MODEL_SYNC = Symbol('READ_MODEL_SYNC');

/** Read-your-writes: lets a command answer only once its own events are visible in the read models. */
export interface ReadModelSync {
  waitFor(position: number, timeoutMs?: number): Promise<boolean>;
}
