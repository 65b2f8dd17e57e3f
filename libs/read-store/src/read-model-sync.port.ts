export const READ_MODEL_SYNC = Symbol('READ_MODEL_SYNC');

/** Read-your-writes: lets a command answer only once its own events are visible in the read models. */
export interface ReadModelSync {
  /** Resolves once `position` is applied and visible to every process (false after the timeout). */
  waitFor(position: number, timeoutMs?: number): Promise<boolean>;
  /**
   * Resolves once this process's read models have applied `position`; other processes may see it
   * a moment later (embedded: at the end of the group commit). For internal bookkeeping that only
   * this process reads next, e.g. the dispatcher releasing a lease.
   */
  waitForApplied(position: number, timeoutMs?: number): Promise<boolean>;
}
