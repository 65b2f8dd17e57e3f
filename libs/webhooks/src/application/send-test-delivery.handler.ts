import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import { CLOCK, type Clock, DomainError, metadataOf, newId } from '../../../kernel/src/index.js';
import { catalogueEntry } from '../domain/event-catalogue.js';
import { endpointNotFound } from '../domain/endpoint.errors.js';
import {
  ENDPOINT_READ_REPOSITORY,
  type EndpointReadRepository,
} from '../read-models/endpoint-read.repository.js';
import { EventPublisher } from './event-publisher.js';
import { SendTestDeliveryCommand } from './send-test-delivery.command.js';
import { validateWebhookUrl } from './webhook-url.validator.js';

/** A test is a real published event addressed to one endpoint: same signing, sending and logging path. */
@CommandHandler(SendTestDeliveryCommand)
export class SendTestDeliveryHandler implements ICommandHandler<
  SendTestDeliveryCommand,
  { deliveryId: string; eventId: string }
> {
  constructor(
    @Inject(ENDPOINT_READ_REPOSITORY) private readonly endpoints: EndpointReadRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publisher: EventPublisher,
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
    await this.publisher.publish(
      {
        eventId,
        workspaceId: c.workspaceId,
        eventType: type,
        payload: entry.sample,
        createdAt: now.toISOString(),
        test: true,
        deliveries: [{ deliveryId, endpointId: endpoint.endpointId }],
      },
      metadataOf(c.context),
    );
    return { deliveryId, eventId };
  }
}
