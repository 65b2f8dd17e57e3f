import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import {
  CancelDeliveryHandler,
  CancelEndpointDeliveriesHandler,
  RecordAttemptHandler,
  RequestDeliveryHandler,
  RetryDeliveryHandler,
} from './application/delivery-command.handlers.js';
import { DeliveryDispatcher } from './application/delivery-dispatcher.js';
import { DeliveryWorker } from './application/delivery-worker.js';
import { DeleteEndpointHandler } from './application/delete-endpoint.handler.js';
import { DisableEndpointHandler } from './application/disable-endpoint.handler.js';
import { RecoverEndpointHandler } from './application/recover-endpoint.handler.js';
import { PublishEventHandler } from './application/publish-event.handler.js';
import { RegisterEndpointHandler } from './application/register-endpoint.handler.js';
import { RotateSecretHandler } from './application/rotate-secret.handler.js';
import { SendTestDeliveryHandler } from './application/send-test-delivery.handler.js';
import { UpdateEndpointHandler } from './application/update-endpoint.handler.js';
import { EventPublisher } from './application/event-publisher.js';
import { PublishedEventCache } from './application/published-event-cache.js';
import { WebhookQueries } from './application/webhook-queries.js';

const endpointHandlers = [
  RegisterEndpointHandler,
  UpdateEndpointHandler,
  RotateSecretHandler,
  DeleteEndpointHandler,
  DisableEndpointHandler,
];
const deliveryHandlers = [
  PublishEventHandler,
  SendTestDeliveryHandler,
  RequestDeliveryHandler,
  RecordAttemptHandler,
  CancelDeliveryHandler,
  CancelEndpointDeliveriesHandler,
  RetryDeliveryHandler,
  RecoverEndpointHandler,
];
const worker = [DeliveryDispatcher, DeliveryWorker];

/** Webhooks: endpoint commands, publishing, the delivery saga and dispatcher, and the read side. */
@Module({
  imports: [CqrsModule, ScheduleModule.forRoot()],
  providers: [
    ...endpointHandlers,
    ...deliveryHandlers,
    ...worker,
    WebhookQueries,
    PublishedEventCache,
    EventPublisher,
  ],
  exports: [WebhookQueries],
})
export class WebhooksModule {}
