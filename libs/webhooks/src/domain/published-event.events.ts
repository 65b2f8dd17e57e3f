export const PUBLISHED_EVENT_CATEGORY = 'event';
export const IDEMPOTENCY_CATEGORY = 'idempotency';

/**
 * An event the platform published. It lists the deliveries it fans out to, decided at publish
 * time from the subscribed, enabled endpoints; the delivery saga turns each into a delivery stream.
 */
export interface EventPublished {
  type: 'EventPublished';
  data: {
    eventId: string;
    workspaceId: string;
    eventType: string;
    payload: Record<string, unknown>;
    createdAt: string;
    /** A test delivery (endpoint "test" route): body carries `"test": true`, excluded from recovery. */
    test: boolean;
    deliveries: { deliveryId: string; endpointId: string }[];
  };
}

/** First use of an idempotency key: a retry within 24 h gets this answer back and delivers nothing new. */
export interface IdempotencyKeyClaimed {
  type: 'IdempotencyKeyClaimed';
  data: { workspaceId: string; eventId: string; deliveryIds: string[]; claimedAt: string; expiresAt: string };
}

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
