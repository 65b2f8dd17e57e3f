import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import { CLOCK, type Clock, DomainError, metadataOf, newId } from '../../../kernel/src/index.js';
import { EVENT_STORE, type EventStore, streamName } from '../../../event-store/src/index.js';
import { catalogueEntry } from '../domain/event-catalogue.js';
import { endpointNotFound } from '../domain/endpoint.errors.js';
import { type EventPublished, PUBLISHED_EVENT_CATEGORY } from '../domain/published-event.events.js';
import {
  ENDPOINT_READ_REPOSITORY,
  type EndpointReadRepository,
} from '../read-models/endpoint-read.repository.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { PublishedEventCache } from './published-event-cache.js';
import { requestPublishedDeliveries } from './request-published-deliveries.js';
import { SendTestDeliveryCommand } from './send-test-delivery.command.js';
import { validateWebhookUrl } from './webhook-url.validator.js';

/** A test is a real published event addressed to one endpoint: same signing, sending and logging path. */
@CommandHandler(SendTestDeliveryCommand)
export class SendTestDeliveryHandler implements ICommandHandler<
  SendTestDeliveryCommand,
  { deliveryId: string; eventId: string }
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ENDPOINT_READ_REPOSITORY) private readonly endpoints: EndpointReadRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    private readonly commands: CommandBus,
    private readonly published: PublishedEventCache,
  ) {}

  async execute(c: SendTestDeliveryCommand) {
    const endpoint = await this.endpoints.findById(c.workspaceId, c.endpointId);
    if (!endpoint) throw endpointNotFound();
    const type = c.eventType ?? 'webhook.test';
    const entry = catalogueEntry(type);
    if (!entry) {
      throw new DomainError('invalid', `Unknown event type "${type}".`, 'unknown_event_type', [
        { field: 'eventType', message: 'not in the event catalogue' },
      ]);
    }
    await validateWebhookUrl(endpoint.url, this.config.webhooks.allowPrivateNetworks);
    const now = this.clock.now();
    const eventId = newId('evt', now.getTime());
    const deliveryId = newId('dlv', now.getTime());
    const event: EventPublished = {
      type: 'EventPublished',
      data: {
        eventId,
        workspaceId: c.workspaceId,
        eventType: type,
        payload: entry.sample,
        createdAt: now.toISOString(),
        test: true,
        deliveries: [{ deliveryId, endpointId: endpoint.endpointId }],
      },
    };
    const streamId = streamName(PUBLISHED_EVENT_CATEGORY, eventId);
    const metadata = metadataOf(c.context);
    const { position } = await this.store.append(streamId, [{ ...event, metadata }], 'no_stream');
    this.published.remember(event.data);
    await requestPublishedDeliveries(this.commands, this.sync, {
      streamId,
      position,
      data: event.data,
      metadata,
    });
    return { deliveryId, eventId };
  }
}
