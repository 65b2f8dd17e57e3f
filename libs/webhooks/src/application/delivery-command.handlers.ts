import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import { CLOCK, type Clock, metadataOf } from '../../../kernel/src/index.js';
import {
  decideAndAppend,
  EVENT_STORE,
  type EventStore,
  type KnownState,
  WrongExpectedRevisionError,
} from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { deliveryDecider, type DeliveryCommand } from '../domain/delivery.decider.js';
import type { DeliveryState } from '../domain/delivery.state.js';
import {
  DELIVERY_READ_REPOSITORY,
  type DeliveryReadRepository,
} from '../read-models/delivery-read.repository.js';
import {
  CancelDeliveryCommand,
  CancelEndpointDeliveriesCommand,
  RecordAttemptCommand,
  RequestDeliveryCommand,
  RetryDeliveryCommand,
} from './delivery-commands.js';
import { deliveryStream } from './delivery-stream.js';
import { DispatchSignal } from './dispatch-signal.js';
import type { CommandContext } from '../../../kernel/src/index.js';

/** Load → decide → append, re-deciding on a concurrent append (the dispatcher and a user may race). */
async function decideWithRetry(
  store: EventStore,
  deliveryId: string,
  command: () => DeliveryCommand,
  ctx: CommandContext,
  basis?: KnownState<DeliveryState>,
) {
  for (let round = 0; ; round++) {
    try {
      return await decideAndAppend(
        store,
        deliveryStream(deliveryId),
        deliveryDecider,
        command(),
        metadataOf(ctx),
        // A stale basis only costs a conflict; the next round loads the stream.
        round === 0 ? basis : undefined,
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || round >= 4) throw error;
    }
  }
}

const RECENT_REQUESTS = 10_000;

@CommandHandler(RequestDeliveryCommand)
export class RequestDeliveryHandler implements ICommandHandler<RequestDeliveryCommand, number> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Requests already made by this process, by delivery id: the publish path and the saga ask for
   * the same deliveries, usually in the same turn. A repeat waits for the first request (and makes
   * its own if that one failed) instead of paying for a conflicting append.
   */
  private readonly requested = new Map<string, Promise<number>>();

  /** The store position of the `DeliveryRequested` event, 0 when it existed before this process asked. */
  execute(c: RequestDeliveryCommand): Promise<number> {
    const earlier = this.requested.get(c.deliveryId);
    // The same position: a caller that waits for the request to be projected waits for that one.
    if (earlier) return earlier.catch(() => this.request(c));
    const request = this.request(c);
    this.requested.set(c.deliveryId, request);
    // Bounded: the oldest go first (a repeat after that just meets the append's conflict check).
    if (this.requested.size > RECENT_REQUESTS) this.requested.delete(this.requested.keys().next().value!);
    request.catch(() => this.requested.delete(c.deliveryId));
    return request;
  }

  private async request(c: RequestDeliveryCommand): Promise<number> {
    try {
      const decision = await decideAndAppend(
        this.store,
        deliveryStream(c.deliveryId),
        deliveryDecider,
        {
          type: 'RequestDelivery',
          deliveryId: c.deliveryId,
          endpointId: c.endpointId,
          workspaceId: c.workspaceId,
          eventId: c.eventId,
          eventType: c.eventType,
          test: c.test,
          recovered: c.recovered,
          notBefore: c.notBefore,
          now: this.clock.now(),
        },
        metadataOf(c.context),
        // A new stream: nothing to read. If it exists after all, the append conflicts (below).
        { state: deliveryDecider.initialState(), revision: -1 },
      );
      return decision.position;
    } catch (error) {
      // Another worker created it first: the request is already there.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      return 0;
    }
  }
}

@CommandHandler(RecordAttemptCommand)
export class RecordAttemptHandler implements ICommandHandler<RecordAttemptCommand, number> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(c: RecordAttemptCommand): Promise<number> {
    const o = c.outcome;
    const w = this.config.webhooks;
    const status = o.responseStatus;
    const decision = await decideWithRetry(
      this.store,
      c.deliveryId,
      () => ({
        type: 'RecordAttempt',
        attempt: {
          attempt: c.attempt,
          startedAt: o.startedAt,
          durationMs: o.durationMs,
          requestHeaders: c.requestHeaders,
          responseStatus: status,
          responseHeaders: o.responseHeaders,
          responseBody: o.responseBody,
          responseBodyTruncated: o.responseBodyTruncated,
          error: o.error,
        },
        succeeded: o.error === null && status !== null && status >= 200 && status < 300,
        gone: o.error === null && status === 410,
        retryAfterMs: o.retryAfterMs,
        settings: {
          maxAttempts: w.maxAttempts,
          baseMs: w.retryBaseMs,
          factor: w.retryFactor,
          maxDelayMs: w.retryMaxDelayMs,
        },
        random: Math.random,
        now: this.clock.now(),
      }),
      c.context,
      c.basis,
    );
    return decision.position;
  }
}

@CommandHandler(CancelDeliveryCommand)
export class CancelDeliveryHandler implements ICommandHandler<CancelDeliveryCommand, number> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: CancelDeliveryCommand): Promise<number> {
    const d = await decideWithRetry(
      this.store,
      c.deliveryId,
      () => ({ type: 'CancelDelivery', reason: c.reason, now: this.clock.now() }),
      c.context,
    );
    return d.position;
  }
}

@CommandHandler(CancelEndpointDeliveriesCommand)
export class CancelEndpointDeliveriesHandler implements ICommandHandler<
  CancelEndpointDeliveriesCommand,
  void
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DELIVERY_READ_REPOSITORY) private readonly deliveries: DeliveryReadRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: CancelEndpointDeliveriesCommand): Promise<void> {
    for (const id of await this.deliveries.pendingIdsByEndpoint(c.endpointId)) {
      await decideWithRetry(
        this.store,
        id,
        () => ({ type: 'CancelDelivery', reason: c.reason, now: this.clock.now() }),
        c.context,
      );
    }
  }
}

@CommandHandler(RetryDeliveryCommand)
export class RetryDeliveryHandler implements ICommandHandler<RetryDeliveryCommand, void> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly signal: DispatchSignal,
  ) {}

  async execute(c: RetryDeliveryCommand): Promise<void> {
    const d = await decideWithRetry(
      this.store,
      c.deliveryId,
      () => ({ type: 'RetryDelivery', workspaceId: c.workspaceId, now: this.clock.now() }),
      c.context,
    );
    await this.sync.waitFor(d.position);
    this.signal.wake();
  }
}
