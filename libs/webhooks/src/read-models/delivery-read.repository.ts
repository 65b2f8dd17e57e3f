import type { Page } from '../../../kernel/src/index.js';
import type { AttemptRecord } from '../domain/delivery.events.js';
import type { DeliveryStatus, ExistingDelivery } from '../domain/delivery.state.js';

export const DELIVERY_READ_REPOSITORY = Symbol('DELIVERY_READ_REPOSITORY');

export interface DeliveryView extends ExistingDelivery {
  test: boolean;
  recovered: boolean;
  /**
   * The subscriber acknowledged it at least once. A manual retry makes a succeeded delivery pending
   * again; recovery must still count the event as received (absent in rows written before: false).
   */
  succeededOnce?: boolean;
}

export interface StoredDelivery {
  view: DeliveryView;
  revision: number;
}

export interface DeliveryListQuery {
  workspaceId: string;
  endpointId: string;
  status?: DeliveryStatus;
  eventType?: string;
  limit: number;
  cursor?: { t: string; id: string };
}

/** A due delivery taken by one dispatcher until `leaseUntil`; nobody else attempts it meanwhile. */
export interface ClaimedDelivery {
  view: DeliveryView;
  leaseOwner: string;
  /** The stream revision `view` reflects, when the adapter knows it: the attempt is recorded without re-reading the stream. */
  revision?: number;
}

export interface DeliveryReadRepository {
  get(deliveryId: string): Promise<StoredDelivery | null>;
  save(view: DeliveryView, revision: number): Promise<void>;
  /** Idempotent: the same (delivery, attempt number) is stored once. */
  addAttempt(deliveryId: string, attempt: AttemptRecord): Promise<void>;
  findById(
    workspaceId: string,
    deliveryId: string,
  ): Promise<(DeliveryView & { attempts: AttemptRecord[] }) | null>;
  listByEndpoint(query: DeliveryListQuery): Promise<Page<DeliveryView>>;
  /**
   * Atomically leases up to `limit` pending deliveries due at `now`, skipping endpoints in `busyEndpoints`.
   * `roomOf(endpointId)`, when given, is how many more attempts that endpoint may start now; an adapter
   * that honours it leases no more than that per endpoint (the caller hands back any excess).
   */
  claimDue(
    now: Date,
    limit: number,
    leaseMs: number,
    owner: string,
    busyEndpoints: string[],
    roomOf?: (endpointId: string) => number,
  ): Promise<ClaimedDelivery[]>;
  releaseLease(deliveryId: string, owner: string): Promise<void>;
  /** Earliest `nextAttemptAt` among pending deliveries, to time the dispatcher's next wake-up. */
  nextDueAt(): Promise<Date | null>;
  pendingIdsByEndpoint(endpointId: string): Promise<string[]>;
  /** Event ids this endpoint already received successfully (for recovery). */
  succeededEventIds(endpointId: string, eventIds: string[]): Promise<Set<string>>;
  clear(): Promise<void>;
}
