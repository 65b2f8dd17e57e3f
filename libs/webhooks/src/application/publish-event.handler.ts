import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import {
  CLOCK,
  type Clock,
  DomainError,
  type EventMetadata,
  metadataOf,
  newId,
} from '../../../kernel/src/index.js';
import {
  EVENT_STORE,
  type EventStore,
  streamName,
  WrongExpectedRevisionError,
} from '../../../event-store/src/index.js';
import { EVENT_TYPES } from '../domain/event-catalogue.js';
import {
  IDEMPOTENCY_CATEGORY,
  IDEMPOTENCY_WINDOW_MS,
  type IdempotencyKeyClaimed,
  PUBLISHED_EVENT_CATEGORY,
  type EventPublished,
} from '../domain/published-event.events.js';
import {
  ENDPOINT_READ_REPOSITORY,
  type EndpointReadRepository,
} from '../read-models/endpoint-read.repository.js';
import { EventPublisher } from './event-publisher.js';
import { PublishBackpressure } from './publish-backpressure.js';
import { PublishEventCommand, type PublishResult } from './publish-event.command.js';

type Fanout = EventPublished['data']['deliveries'];

/**
 * Publishing: validate, honour the idempotency key, fan out to every enabled subscribed endpoint.
 * The idempotency key is a stream of its own, claimed with optimistic concurrency, so two
 * concurrent publishes with one key cannot both deliver.
 */
@CommandHandler(PublishEventCommand)
export class PublishEventHandler implements ICommandHandler<PublishEventCommand, PublishResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ENDPOINT_READ_REPOSITORY) private readonly endpoints: EndpointReadRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publisher: EventPublisher,
    private readonly backpressure: PublishBackpressure,
  ) {}

  async execute(c: PublishEventCommand): Promise<PublishResult> {
    if (!EVENT_TYPES.has(c.eventType) || c.eventType === 'webhook.test') {
      throw new DomainError(
        'invalid',
        `Unknown event type "${c.eventType}". See GET /api/v1/webhooks/event-types.`,
        'unknown_event_type',
        [
          {
            field: 'type',
            message: 'not in the event catalogue (webhook.test is sent by the endpoint test route only)',
          },
        ],
      );
    }
    const size = Buffer.byteLength(JSON.stringify(c.payload), 'utf8');
    if (size > this.config.maxEventPayloadBytes) {
      throw new DomainError(
        'too_large',
        `The event data is ${size} bytes; the limit is ${this.config.maxEventPayloadBytes} (MAX_EVENT_PAYLOAD_BYTES).`,
        'payload_too_large',
      );
    }
    const meta = metadataOf(c.context);
    const result =
      c.idempotencyKey === undefined
        ? await this.publish(c, newId('evt'), await this.fanout(c), meta)
        : await this.publishOnce(c, meta, 0);
    // Accepted and on its way; the answer waits while this process is behind (back-pressure).
    const held = this.backpressure.hold();
    if (held) await held;
    return result;
  }

  private async publishOnce(
    c: PublishEventCommand,
    meta: EventMetadata,
    round: number,
  ): Promise<PublishResult> {
    const keyHash = createHash('sha256')
      .update(`${c.workspaceId}\n${c.idempotencyKey}`)
      .digest('hex')
      .slice(0, 40);
    const stream = streamName(IDEMPOTENCY_CATEGORY, keyHash);
    const history = await this.store.readStream(stream);
    const last = history[history.length - 1] as unknown as
      (IdempotencyKeyClaimed & { revision: number; data: { deliveries?: Fanout } }) | undefined;
    const now = this.clock.now();
    if (last && new Date(last.data.expiresAt) > now) {
      const published = await this.store.readStream(streamName(PUBLISHED_EVENT_CATEGORY, last.data.eventId));
      // Claimed but not published: a crash in between, or the claimer is publishing right now.
      // Finish the job with the claimed ids; if the claimer got there first, that is the same result.
      if (published.length === 0) {
        await this.publish(c, last.data.eventId, last.data.deliveries ?? [], meta).catch((error: unknown) => {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
        });
      }
      return { eventId: last.data.eventId, deliveryIds: last.data.deliveryIds };
    }
    const eventId = newId('evt', now.getTime());
    const deliveries = await this.fanout(c);
    try {
      await this.store.append(
        stream,
        [
          {
            type: 'IdempotencyKeyClaimed',
            data: {
              workspaceId: c.workspaceId,
              eventId,
              deliveryIds: deliveries.map((d) => d.deliveryId),
              deliveries,
              claimedAt: now.toISOString(),
              expiresAt: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS).toISOString(),
            },
            metadata: meta,
          },
        ],
        last ? history[history.length - 1]!.revision : 'no_stream',
      );
    } catch (error) {
      // Someone published with the same key a moment ago: answer with theirs.
      if (error instanceof WrongExpectedRevisionError && round < 3)
        return this.publishOnce(c, meta, round + 1);
      throw error;
    }
    return this.publish(c, eventId, deliveries, meta);
  }

  private async fanout(c: PublishEventCommand): Promise<Fanout> {
    const subscribed = await this.endpoints.findSubscribed(c.workspaceId, c.eventType);
    return subscribed.map((e) => ({ deliveryId: newId('dlv'), endpointId: e.endpointId }));
  }

  private async publish(
    c: PublishEventCommand,
    eventId: string,
    deliveries: Fanout,
    meta: EventMetadata,
  ): Promise<PublishResult> {
    await this.publisher.publish(
      {
        eventId,
        workspaceId: c.workspaceId,
        eventType: c.eventType,
        payload: c.payload,
        createdAt: this.clock.now().toISOString(),
        test: false,
        deliveries,
      },
      meta,
    );
    return { eventId, deliveryIds: deliveries.map((d) => d.deliveryId) };
  }
}
