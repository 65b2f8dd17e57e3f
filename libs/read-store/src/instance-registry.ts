import { randomUUID } from 'node:crypto';
import type { CheckpointStore } from './checkpoint-store.port.js';

const PREFIX = 'instance:';
const STOPPED = 'instance-stopped:';

/**
 * Which service processes share these stores: each one keeps a heartbeat in the durable checkpoint
 * store (`instance:<id>`, position = the time of its last beat) and marks a clean stop
 * (`instance-stopped:<id>`). A read-model rebuild switches generations in its own process only, so
 * it must know whether others are running.
 */
export class InstanceRegistry {
  readonly id = randomUUID();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly checkpoints: CheckpointStore,
    private readonly everyMs = 5_000,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.checkpoints.save(STOPPED + this.id, Date.now()).catch(() => undefined);
  }

  /** How many other instances beat within the last three intervals and have not stopped. */
  async othersAlive(now = Date.now()): Promise<number> {
    const all = await this.checkpoints.list();
    const stopped = new Set(
      all.filter((c) => c.name.startsWith(STOPPED)).map((c) => c.name.slice(STOPPED.length)),
    );
    return all.filter(
      (c) =>
        c.name.startsWith(PREFIX) &&
        c.name !== PREFIX + this.id &&
        !stopped.has(c.name.slice(PREFIX.length)) &&
        c.position > now - 3 * this.everyMs,
    ).length;
  }

  private beat(): Promise<void> {
    return this.checkpoints.save(PREFIX + this.id, Date.now());
  }
}
