import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../../config/src/index.js';
import { EVENT_STORE, type EventStore } from '../../../event-store/src/index.js';
import {
  CHECKPOINT_STORE,
  type CheckpointStore,
  ReadModels,
  SagaRunner,
} from '../../../read-store/src/index.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { DELIVERY_SAGA_EVENT_TYPES, deliverySaga } from './delivery.saga.js';

/** The worker role: the delivery saga and the dispatcher. Runs when ROLES includes `worker`. */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private saga?: SagaRunner;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    private readonly commands: CommandBus,
    private readonly dispatcher: DeliveryDispatcher,
    @Optional() private readonly readModels?: ReadModels,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.worker) return;
    this.saga = new SagaRunner(
      {
        name: 'deliveries',
        handles: DELIVERY_SAGA_EVENT_TYPES,
        map: deliverySaga,
        // Requesting a delivery that exists changes nothing (the publish path usually made it already).
        replaySafe: new Set(['EventPublished']),
      },
      this.store,
      this.checkpoints,
      this.commands,
      (error) => this.logger.error(`delivery saga failed, resubscribing: ${String(error)}`),
    );
    await this.saga.start();
    this.dispatcher.start();
    // A read-model rebuild switches generations only while no attempt holds a lease.
    this.readModels?.registerPauseHook({
      pause: () => this.dispatcher.pause(),
      resume: () => this.dispatcher.resume(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.saga?.stop();
    await this.dispatcher.stop();
  }
}
