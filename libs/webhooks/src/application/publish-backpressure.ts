import { performance } from 'node:perf_hooks';
import type { AppConfig } from '../../../config/src/index.js';
import type { DeliveryBacklog } from './delivery-backlog.js';
import type { EventLoopLoad } from './event-loop-load.port.js';

/** Event-loop utilisation from which the process counts as CPU-bound. */
const BUSY = 0.9;
/** How often held answers look again. */
const RECHECK_MS = 5;

interface Held {
  since: number;
  release: () => void;
}

/**
 * Back-pressure on publishing. When this process cannot keep up — its fresh deliveries wait
 * longer than WEBHOOK_BACKPRESSURE_TARGET_MS before their first attempt AND its event loop is
 * saturated — the 202 of an accepted publish is held (first come, first served) until the backlog
 * is back under the target, at most WEBHOOK_BACKPRESSURE_MAX_WAIT_MS. Publishers that wait for
 * their answer slow down to the rate deliveries go out, so the backlog, and with it the time from
 * publish to delivery, stays bounded instead of growing for as long as they outpace delivery.
 *
 * The event is appended and its deliveries requested before the hold: nothing is refused, and a
 * held answer never delays the event's own deliveries (holding before the append would add the
 * hold to every delivery's latency when publishers do not wait for answers).
 *
 * Both conditions, because a backlog alone does not say whose fault it is: deliveries queued
 * behind a slow or hanging subscriber (at its concurrency limit, the loop mostly idle) must not
 * throttle everyone's publishing; they wait in the durable queue, as they should.
 */
export class PublishBackpressure {
  private readonly held: Held[] = [];
  private timer: NodeJS.Timeout | undefined;
  private heldCount = 0;
  private heldMs = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly backlog: DeliveryBacklog,
    private readonly load: EventLoopLoad,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves when an accepted publish may answer; undefined when it may at once (the usual case). */
  hold(): Promise<void> | undefined {
    if (this.held.length === 0 && !this.congested()) return undefined;
    return new Promise<void>((release) => {
      this.held.push({ since: this.now(), release });
      this.timer ??= setTimeout(this.recheck, RECHECK_MS);
    });
  }

  /** Answers held so far and their total hold, for benchmarks and diagnostics. */
  stats(): { held: number; heldMs: number; holding: number } {
    return { held: this.heldCount, heldMs: this.heldMs, holding: this.held.length };
  }

  private congested(): boolean {
    const { backpressureTargetMs } = this.config.webhooks;
    if (backpressureTargetMs === 0 || this.backlog.waiting === 0) return false;
    return this.backlog.oldestWaitMs(this.now()) >= backpressureTargetMs && this.load.utilization() >= BUSY;
  }

  private readonly recheck = (): void => {
    this.timer = undefined;
    const now = this.now();
    const congested = this.congested();
    const maxWait = this.config.webhooks.backpressureMaxWaitMs;
    // FIFO: while congested only those at the head that have waited their maximum go.
    while (this.held.length > 0 && (!congested || now - this.held[0]!.since >= maxWait)) {
      const next = this.held.shift()!;
      this.heldCount++;
      this.heldMs += now - next.since;
      next.release();
    }
    if (this.held.length > 0) this.timer = setTimeout(this.recheck, RECHECK_MS);
  };
}
