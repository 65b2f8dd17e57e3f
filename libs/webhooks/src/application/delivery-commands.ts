import type { CommandContext } from '../../../kernel/src/index.js';
import type { KnownState } from '../../../event-store/src/index.js';
import type { DeliveryState } from '../domain/delivery.state.js';
import type { AttemptOutcome } from '../transport/webhook-http-sender.js';

/** Saga → create the delivery stream for one (event, endpoint) pair. Idempotent. */
export class RequestDeliveryCommand {
  constructor(
    readonly deliveryId: string,
    readonly endpointId: string,
    readonly workspaceId: string,
    readonly eventId: string,
    readonly eventType: string,
    readonly test: boolean,
    readonly recovered: boolean,
    readonly context: CommandContext,
    readonly notBefore?: Date,
  ) {}
}

/** Dispatcher → record what one HTTP attempt gave and decide what follows. */
export class RecordAttemptCommand {
  constructor(
    readonly deliveryId: string,
    readonly attempt: number,
    readonly requestHeaders: Record<string, string>,
    readonly outcome: AttemptOutcome,
    readonly context: CommandContext,
    /** The delivery as the dispatcher claimed it; saves reading the stream when still current. */
    readonly basis?: KnownState<DeliveryState>,
  ) {}
}

export class CancelDeliveryCommand {
  constructor(
    readonly deliveryId: string,
    readonly reason: 'endpoint deleted' | 'endpoint disabled',
    readonly context: CommandContext,
  ) {}
}

/** Saga → cancel every pending delivery of an endpoint that was disabled or deleted. */
export class CancelEndpointDeliveriesCommand {
  constructor(
    readonly endpointId: string,
    readonly reason: 'endpoint deleted' | 'endpoint disabled',
    readonly context: CommandContext,
  ) {}
}

/** User → send again now, as a new attempt of the same delivery. */
export class RetryDeliveryCommand {
  constructor(
    readonly workspaceId: string,
    readonly deliveryId: string,
    readonly context: CommandContext,
  ) {}
}
