export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export type DeliveryState =
  | { status: 'absent' }
  | {
      status: DeliveryStatus;
      deliveryId: string;
      endpointId: string;
      workspaceId: string;
      eventId: string;
      eventType: string;
      attemptCount: number;
      nextAttemptAt: string | null;
      /** Set by a manual retry of a finished delivery: one attempt, no automatic retries after it. */
      manual: boolean;
      createdAt: string;
      updatedAt: string;
    };

export type ExistingDelivery = Exclude<DeliveryState, { status: 'absent' }>;
