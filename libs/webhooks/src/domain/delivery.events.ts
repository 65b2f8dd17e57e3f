export const DELIVERY_CATEGORY = 'delivery';

export interface DeliveryRequested {
  type: 'DeliveryRequested';
  data: {
    deliveryId: string;
    endpointId: string;
    workspaceId: string;
    eventId: string;
    eventType: string;
    requestedAt: string;
    nextAttemptAt: string;
    test: boolean;
    recovered: boolean;
  };
}

export interface AttemptRecord {
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** Signatures are fine here; secrets never are. */
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  error: string | null;
}

export interface DeliveryAttempted {
  type: 'DeliveryAttempted';
  data: AttemptRecord & { deliveryId: string; endpointId: string; workspaceId: string };
}

export interface DeliverySucceeded {
  type: 'DeliverySucceeded';
  data: { deliveryId: string; endpointId: string; workspaceId: string; attempt: number; succeededAt: string };
}

export interface DeliveryRetryScheduled {
  type: 'DeliveryRetryScheduled';
  data: {
    deliveryId: string;
    endpointId: string;
    workspaceId: string;
    attempt: number;
    nextAttemptAt: string;
  };
}

export interface DeliveryFailed {
  type: 'DeliveryFailed';
  data: {
    deliveryId: string;
    endpointId: string;
    workspaceId: string;
    attempt: number;
    reason: 'exhausted' | 'gone' | 'manual-retry-failed';
    failedAt: string;
  };
}

export interface DeliveryCancelled {
  type: 'DeliveryCancelled';
  data: {
    deliveryId: string;
    endpointId: string;
    workspaceId: string;
    reason: 'endpoint deleted' | 'endpoint disabled';
    cancelledAt: string;
  };
}

/** A user asked to send again now (`POST /deliveries/{id}/retry`). */
export interface DeliveryRetryRequested {
  type: 'DeliveryRetryRequested';
  data: { deliveryId: string; endpointId: string; workspaceId: string; requestedAt: string };
}

export type DeliveryEvent =
  | DeliveryRequested
  | DeliveryAttempted
  | DeliverySucceeded
  | DeliveryRetryScheduled
  | DeliveryFailed
  | DeliveryCancelled
  | DeliveryRetryRequested;

export const DELIVERY_EVENT_TYPES: ReadonlySet<string> = new Set([
  'DeliveryRequested',
  'DeliveryAttempted',
  'DeliverySucceeded',
  'DeliveryRetryScheduled',
  'DeliveryFailed',
  'DeliveryCancelled',
  'DeliveryRetryRequested',
]);
