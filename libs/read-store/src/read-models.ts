import { DomainError } from '../../kernel/src/index.js';
import type { EventStore } from '../../event-store/src/event-store.port.js';
import type { InstanceRegistry } from './instance-registry.js';
import { ProjectionRunner, type ProjectionStatus } from './projection-runner.js';
import type { ReadModelSync } from './read-model-sync.port.js';
import type { ReadModelSet, ReadModelSetFactory } from './read-model-set.js';

export interface RebuildProgress {
  status: 'running' | 'switching' | 'done' | 'failed';
  fromGeneration: number;
  toGeneration: number;
  processed: number;
  total: number;
  eventsPerSecond: number;
  startedAt: string;
  finishedAt: string | null;
  error?: string;
}

const REPLAY_BATCH = 2000;

/**
 * Owns the live read-model generation. Repositories are handed out as proxies that always reach
 * the live generation, so a rebuild can switch generations under a running API. Rebuilds replay
 * the whole history into a fresh generation while the API keeps answering from the old one.
 */
export class ReadModels implements ReadModelSync {
  private current!: ReadModelSet;
  private runner!: ProjectionRunner;
  private progress: RebuildProgress | null = null;
  private readonly pauseHooks: { pause(): Promise<void>; resume(): void }[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly factory: ReadModelSetFactory,
    private readonly onProjectionError: (name: string, error: unknown) => void,
    /** Other processes sharing the stores; without one, this process is assumed alone (tests, benchmarks). */
    private readonly instances?: InstanceRegistry,
  ) {}

  async start(): Promise<void> {
    await this.instances?.start();
    this.current = await this.factory.open(await this.factory.activeGeneration(), { live: true });
    this.runner = this.newRunner(this.current);
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.instances?.stop();
    await this.runner?.stop();
    await this.current?.close();
  }

  /** A stand-in for a repository port that always forwards to the live generation. */
  proxy<T extends object>(token: symbol): T {
    // Bound methods are cached per implementation: this sits on every request's path.
    const bound = new WeakMap<object, Map<string | symbol, unknown>>();
    return new Proxy({} as T, {
      get: (_target, prop) => {
        const impl = this.current?.repositories.get(token) as Record<string | symbol, unknown> | undefined;
        // Before start (Nest probes providers for lifecycle hooks) there is nothing to forward to.
        if (!impl) return undefined;
        let methods = bound.get(impl);
        if (!methods) bound.set(impl, (methods = new Map()));
        if (methods.has(prop)) return methods.get(prop);
        const value = impl[prop];
        const result =
          typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(impl) : value;
        if (typeof value === 'function') methods.set(prop, result);
        return result;
      },
    });
  }

  ping(): Promise<boolean> {
    return this.current ? this.current.ping() : Promise.resolve(false);
  }

  /** Resolves once `position` is applied and visible to every process (another API instance may answer next). */
  async waitFor(position: number, timeoutMs?: number): Promise<boolean> {
    const applied = await this.runner.waitFor(position, timeoutMs);
    await this.current.committed?.();
    return applied;
  }

  waitForApplied(position: number, timeoutMs?: number): Promise<boolean> {
    return this.runner.waitFor(position, timeoutMs);
  }

  async status(): Promise<{
    generation: number;
    projections: ProjectionStatus[];
    rebuild: RebuildProgress | null;
  }> {
    return {
      generation: this.current.generation,
      projections: await this.runner.status(),
      rebuild: this.progress,
    };
  }

  /** Things that must not run while generations switch (the dispatcher holds leases in the old one). */
  registerPauseHook(hook: { pause(): Promise<void>; resume(): void }): void {
    this.pauseHooks.push(hook);
  }

  isRebuilding(): boolean {
    return this.progress?.status === 'running' || this.progress?.status === 'switching';
  }

  /** Starts a rebuild in the background; progress is visible through `status()`. */
  async startRebuild(): Promise<RebuildProgress> {
    if (this.isRebuilding()) return this.progress!;
    await this.assertAlone();
    if (this.isRebuilding()) return this.progress!;
    const progress = this.startProgress();
    void this.rebuild(progress).catch((error: unknown) => {
      progress.status = 'failed';
      progress.error = error instanceof Error ? error.message : String(error);
      progress.finishedAt = new Date().toISOString();
    });
    return progress;
  }

  /**
   * The switch to the fresh generation happens in this process only: another process sharing the
   * stores would go on reading (and leasing deliveries in) the old one, so it would split apart.
   */
  private async assertAlone(): Promise<void> {
    const others = (await this.instances?.othersAlive()) ?? 0;
    if (others > 0) {
      throw new DomainError(
        'conflict',
        `${others} other instance(s) share these stores. A rebuild switches read-model generations in this process only; stop the other instances (a stopped one is forgotten at once, a crashed one after 15 s) and try again.`,
        'other_instances_running',
      );
    }
  }

  /** Replays into a fresh generation, catches up, then switches; awaitable (CLI, tests, benchmark). */
  async rebuild(progress: RebuildProgress = this.startProgress()): Promise<RebuildProgress> {
    const fresh = await this.factory.open(progress.toGeneration, { live: false });
    try {
      const started = Date.now();
      progress.total = await this.store.headPosition();
      let position = await this.replay(fresh, 0, progress, started);
      progress.status = 'switching';
      for (const hook of this.pauseHooks) await hook.pause();
      try {
        await this.runner.stop();
        // Whatever was appended during the replay.
        position = await this.replay(fresh, position, progress, started);
        for (const p of fresh.projections) await fresh.checkpoints.save(p.name, position);
        const old = this.current;
        this.current = fresh;
        this.runner = this.newRunner(fresh);
        await this.runner.start();
        await this.factory.activate(fresh.generation);
        await old.drop();
      } finally {
        for (const hook of this.pauseHooks) hook.resume();
      }
      progress.status = 'done';
      progress.finishedAt = new Date().toISOString();
      return progress;
    } catch (error) {
      if (this.current !== fresh) await fresh.drop().catch(() => undefined);
      throw error;
    }
  }

  private startProgress(): RebuildProgress {
    const from = this.current.generation;
    this.progress = {
      status: 'running',
      fromGeneration: from,
      toGeneration: from + 1,
      processed: 0,
      total: 0,
      eventsPerSecond: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    return this.progress;
  }

  /** Applies every event after `after` to every projection of `set`, in batches; memory stays flat. */
  private async replay(
    set: ReadModelSet,
    after: number,
    progress: RebuildProgress,
    started: number,
  ): Promise<number> {
    let position = after;
    for (;;) {
      const batch = await this.store.readAll({ after: position, limit: REPLAY_BATCH });
      if (batch.length === 0) return position;
      set.beginBatch?.();
      try {
        for (const event of batch) {
          for (const projection of set.projections) {
            if (projection.handles.has(event.type)) await projection.apply(event);
          }
        }
      } finally {
        set.commitBatch?.();
      }
      position = batch[batch.length - 1]!.position;
      progress.processed += batch.length;
      progress.total = Math.max(progress.total, progress.processed);
      progress.eventsPerSecond = Math.round(
        progress.processed / Math.max(0.001, (Date.now() - started) / 1000),
      );
      if (batch.length < REPLAY_BATCH) return position;
    }
  }

  private newRunner(set: ReadModelSet): ProjectionRunner {
    return new ProjectionRunner(this.store, set.checkpoints, set.projections, {
      onError: this.onProjectionError,
    });
  }
}
