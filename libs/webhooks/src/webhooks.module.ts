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
import { DeliveryBacklog } from './application/delivery-backlog.js';
import { EVENT_LOOP_LOAD, type EventLoopLoad } from './application/event-loop-load.port.js';
import { PublishBackpressure } from './application/publish-backpressure.js';
import { NodeEventLoopLoad } from './infrastructure/node-event-loop-load.js';
import { APP_CONFIG, type AppConfig } from '../../config/src/index.js';

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
    DeliveryBacklog,
    { provide: EVENT_LOOP_LOAD, useClass: NodeEventLoopLoad },
    {
      provide: PublishBackpressure,
      useFactory: (config: AppConfig, backlog: DeliveryBacklog, load: EventLoopLoad) =>
        new PublishBackpressure(config, backlog, load),
      inject: [APP_CONFIG, DeliveryBacklog, EVENT_LOOP_LOAD],
    },
  ],
  exports: [WebhookQueries, PublishBackpressure],
})
export class WebhooksModule {}
