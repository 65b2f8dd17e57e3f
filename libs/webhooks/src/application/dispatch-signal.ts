/**
 * In-process nudge from the delivery projection to the dispatcher: "something is due at `at`"
 * (for `endpointId`, when known).
 * Polling still catches everything (other processes' work, missed signals); this only cuts latency.
 */
export class DispatchSignal {
  private readonly listeners = new Set<(at: Date, endpointId?: string) => void>();

  on(listener: (at: Date, endpointId?: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  wake(at: Date = new Date(), endpointId?: string): void {
    for (const l of this.listeners) l(at, endpointId);
  }
}
