import { performance } from 'node:perf_hooks';
import type { EventLoopLoad } from '../application/event-loop-load.port.js';

/** Shortest window averaged over; shorter ones flicker with single long turns. */
const WINDOW_MS = 50;

/**
 * Event-loop utilisation (`performance.eventLoopUtilization`) over the last window, sampled on
 * demand: no timer runs while no one asks. After a quiet spell the first window is long and its
 * average low, which is the right answer for "is the loop saturated now".
 */
export class NodeEventLoopLoad implements EventLoopLoad {
  private mark = performance.eventLoopUtilization();
  private markAt = performance.now();
  private value = 0;

  utilization(): number {
    const now = performance.now();
    if (now - this.markAt >= WINDOW_MS) {
      const current = performance.eventLoopUtilization();
      this.value = performance.eventLoopUtilization(current, this.mark).utilization;
      this.mark = current;
      this.markAt = now;
    }
    return this.value;
  }
}
