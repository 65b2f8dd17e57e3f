import { Injectable } from '@nestjs/common';

/** Entries older than this are dropped: another process claimed them, or the signal is long clear. */
const FORGET_AFTER_MS = 10_000;
/** Bounds memory when an endpoint is not drained at all (e.g. it is at its concurrency limit for hours). */
const CAPACITY = 50_000;
/**
 * An endpoint with an attempt in flight for longer than this is a slow subscriber: what waits for
 * it waits for the subscriber, not for this process. On a saturated loop a whole delivery takes
 * tens of milliseconds (bench:deliveries p99 ≈ 0.1 s), so this does not mistake one for the other.
 */
const SLOW_ATTEMPT_MS = 500;

/**
 * Deliveries published in this process that have not started their first attempt yet, per
 * endpoint, with the time they were requested, and the attempts in flight per endpoint.
 * `oldestWaitMs` is the queueing delay a subscriber sees on top of the HTTP round trip, over the
 * endpoints this process is the bottleneck for; publish back-pressure (PublishBackpressure) reads it.
 *
 * Only tracked while this process dispatches (the worker role): an API-only process never sees its
 * deliveries start, so it must not think they all wait.
 */
@Injectable()
export class DeliveryBacklog {
  private readonly waitingByEndpoint = new Map<string, Map<string, number>>();
  private readonly inFlightByEndpoint = new Map<string, Map<string, number>>();
  private size = 0;
  private tracking = false;

  /** Called by the dispatcher when it starts; from then on publishes are tracked. */
  track(on: boolean): void {
    this.tracking = on;
    if (!on) {
      this.waitingByEndpoint.clear();
      this.inFlightByEndpoint.clear();
      this.size = 0;
    }
  }

  requested(endpointId: string, deliveryId: string, atMs: number): void {
    if (!this.tracking || this.size >= CAPACITY) return;
    let waiting = this.waitingByEndpoint.get(endpointId);
    if (!waiting) this.waitingByEndpoint.set(endpointId, (waiting = new Map()));
    if (waiting.has(deliveryId)) return;
    waiting.set(deliveryId, atMs);
    this.size++;
  }

  /** An attempt of the delivery starts (any attempt, any delivery): it no longer waits. */
  started(endpointId: string, deliveryId: string, atMs: number): void {
    if (!this.tracking) return;
    let inFlight = this.inFlightByEndpoint.get(endpointId);
    if (!inFlight) this.inFlightByEndpoint.set(endpointId, (inFlight = new Map()));
    inFlight.set(deliveryId, atMs);
    const waiting = this.waitingByEndpoint.get(endpointId);
    if (!waiting?.delete(deliveryId)) return;
    this.size--;
    if (waiting.size === 0) this.waitingByEndpoint.delete(endpointId);
  }

  /** The attempt has ended (recorded, cancelled or failed). */
  finished(endpointId: string, deliveryId: string): void {
    const inFlight = this.inFlightByEndpoint.get(endpointId);
    if (inFlight?.delete(deliveryId) && inFlight.size === 0) this.inFlightByEndpoint.delete(endpointId);
  }

  /**
   * How long the longest-waiting tracked delivery has waited (0: none waits), over the endpoints
   * that are not slow subscribers: a backlog behind a slow or hanging endpoint is not this
   * process's to catch up with, and must not hold anyone's publishing.
   */
  oldestWaitMs(nowMs: number): number {
    let oldest = 0;
    for (const [endpointId, waiting] of this.waitingByEndpoint) {
      // Insertion order is request order: the first entry is the endpoint's oldest.
      let first: number | undefined;
      for (const [deliveryId, at] of waiting) {
        if (nowMs - at <= FORGET_AFTER_MS) {
          first = at;
          break;
        }
        waiting.delete(deliveryId);
        this.size--;
      }
      if (waiting.size === 0) this.waitingByEndpoint.delete(endpointId);
      if (first !== undefined && !this.isSlow(endpointId, nowMs)) oldest = Math.max(oldest, nowMs - first);
    }
    return oldest;
  }

  get waiting(): number {
    return this.size;
  }

  private isSlow(endpointId: string, nowMs: number): boolean {
    const inFlight = this.inFlightByEndpoint.get(endpointId);
    if (!inFlight) return false;
    // Insertion order is start order: the first entry is the longest-running attempt.
    for (const startedAt of inFlight.values()) return nowMs - startedAt > SLOW_ATTEMPT_MS;
    return false;
  }
}
