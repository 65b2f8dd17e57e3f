import { Injectable } from '@nestjs/common';

/** Entries older than this are dropped: another process claimed them, or the signal is long clear. */
const FORGET_AFTER_MS = 10_000;
/** Bounds memory when an endpoint is not drained at all (e.g. it is at its concurrency limit for hours). */
const CAPACITY = 50_000;

/**
 * Deliveries published in this process that have not started their first attempt yet, per
 * endpoint, with the time they were requested. `oldestWaitMs` is the queueing delay a subscriber
 * sees on top of the HTTP round trip; publish back-pressure (PublishBackpressure) reads it.
 *
 * Only tracked while this process dispatches (the worker role): an API-only process never sees its
 * deliveries start, so it must not think they all wait.
 */
@Injectable()
export class DeliveryBacklog {
  private readonly byEndpoint = new Map<string, Map<string, number>>();
  private size = 0;
  private tracking = false;

  /** Called by the dispatcher when it starts; from then on publishes are tracked. */
  track(on: boolean): void {
    this.tracking = on;
    if (!on) {
      this.byEndpoint.clear();
      this.size = 0;
    }
  }

  requested(endpointId: string, deliveryId: string, atMs: number): void {
    if (!this.tracking || this.size >= CAPACITY) return;
    let waiting = this.byEndpoint.get(endpointId);
    if (!waiting) this.byEndpoint.set(endpointId, (waiting = new Map()));
    if (waiting.has(deliveryId)) return;
    waiting.set(deliveryId, atMs);
    this.size++;
  }

  /** The delivery's attempt starts (or it ends without one): it no longer waits. */
  started(endpointId: string, deliveryId: string): void {
    const waiting = this.byEndpoint.get(endpointId);
    if (!waiting?.delete(deliveryId)) return;
    this.size--;
    if (waiting.size === 0) this.byEndpoint.delete(endpointId);
  }

  /** How long the longest-waiting tracked delivery has waited, over all endpoints (0: none waits). */
  oldestWaitMs(nowMs: number): number {
    let oldest = 0;
    for (const [endpointId, waiting] of this.byEndpoint) {
      // Insertion order is request order: the first entry is the endpoint's oldest.
      for (const [deliveryId, at] of waiting) {
        if (nowMs - at <= FORGET_AFTER_MS) {
          oldest = Math.max(oldest, nowMs - at);
          break;
        }
        waiting.delete(deliveryId);
        this.size--;
      }
      if (waiting.size === 0) this.byEndpoint.delete(endpointId);
    }
    return oldest;
  }

  get waiting(): number {
    return this.size;
  }
}
