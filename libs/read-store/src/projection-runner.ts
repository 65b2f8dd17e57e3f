import type { RecordedEvent } from '../../kernel/src/index.js';
import type { EventStore, Subscription } from '../../event-store/src/event-store.port.js';
import type { CheckpointStore } from './checkpoint-store.port.js';
import type { Projection } from './projection.js';

export interface ProjectionStatus {
  name: string;
  checkpoint: number;
  head: number;
  lag: number;
  state: 'starting' | 'catching-up' | 'live' | 'stopped' | 'error';
}

interface Running {
  projection: Projection;
  subscription?: Subscription;
  position: number;
  persisted: number;
  state: ProjectionStatus['state'];
  lastPersistAt: number;
}

/**
 * Runs each projection on its own checkpointed `$all` subscription. The checkpoint is persisted at
 * most every `persistEveryMs` and on stop: applying is idempotent, so after a crash replaying that
 * much again is harmless, and a write per handled event cost more than any other bookkeeping.
 * `waitFor(position)` gives callers read-your-writes: the API answers after its own change is visible.
 */
export class ProjectionRunner {
  private readonly running = new Map<string, Running>();
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly projections: Projection[],
    private readonly options: {
      persistEveryMs?: number;
      onError?: (name: string, error: unknown) => void;
    } = {},
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    for (const projection of this.projections) {
      const position = await this.checkpoints.get(projection.name);
      const run: Running = {
        projection,
        position,
        persisted: position,
        state: 'starting',
        lastPersistAt: Date.now(),
      };
      this.running.set(projection.name, run);
      this.subscribe(run);
    }
  }

  private subscribe(run: Running): void {
    run.state = 'catching-up';
    run.subscription = this.store.subscribeToAll({
      after: run.position,
      onEvent: (event) => {
        // Synchronous for events this projection ignores (most of them): no promise per event.
        if (run.projection.handles.has(event.type)) return this.apply(run, event);
        run.position = event.position;
        return this.advanced(run);
      },
      onCaughtUp: () => {
        run.state = 'live';
      },
      onError: (error) => {
        run.state = 'error';
        this.options.onError?.(run.projection.name, error);
        // Resubscribe from the last applied position after a pause; apply is idempotent.
        if (!this.stopped) setTimeout(() => !this.stopped && this.subscribe(run), 1000).unref();
      },
    });
  }

  private async apply(run: Running, event: RecordedEvent): Promise<void> {
    await run.projection.apply(event);
    run.position = event.position;
    await this.advanced(run);
  }

  /** After `run.position` moved: persist the checkpoint when it is due, wake read-your-writes waiters. */
  private advanced(run: Running): Promise<void> | void {
    const now = Date.now();
    if (now - run.lastPersistAt >= (this.options.persistEveryMs ?? 250)) {
      return this.persist(run, run.position, now).then(() => this.notify());
    }
    this.notify();
  }

  private async persist(run: Running, position: number, now: number): Promise<void> {
    await this.checkpoints.save(run.projection.name, position);
    run.persisted = position;
    run.lastPersistAt = now;
  }

  private notify(): void {
    for (const waiter of this.waiters) {
      if (this.minPosition() >= waiter.position) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private minPosition(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const run of this.running.values()) min = Math.min(min, run.position);
    return min;
  }

  /** Resolves once every projection has applied `position` (or after `timeoutMs`, returning false). */
  async waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    if (this.running.size === 0 || this.minPosition() >= position) return true;
    return new Promise<boolean>((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    return [...this.running.values()].map((run) => ({
      name: run.projection.name,
      checkpoint: run.position,
      head,
      lag: Math.max(0, head - run.position),
      state: run.state,
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const run of this.running.values()) {
      await run.subscription?.stop();
      if (run.position > run.persisted) await this.checkpoints.save(run.projection.name, run.position);
      run.state = 'stopped';
    }
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }
}
