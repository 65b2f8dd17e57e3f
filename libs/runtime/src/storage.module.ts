import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/src/index.js';
import { CLOCK, systemClock } from '../../kernel/src/index.js';
import { EVENT_STORE, type EventStore, UpcasterRegistry } from '../../event-store/src/index.js';
import { SqliteEventStore } from '../../event-store/src/sqlite/sqlite-event-store.js';
import {
  CHECKPOINT_STORE,
  type CheckpointStore,
  PROJECTIONS,
  type Projection,
  ProjectionRunner,
  READ_MODEL_SYNC,
  READ_STORE_HEALTH,
} from '../../read-store/src/index.js';
import { SqliteReadDatabase } from '../../read-store/src/embedded/sqlite-read-database.js';
import { SqliteCheckpointStore } from '../../read-store/src/embedded/sqlite-checkpoint-store.js';
import { TOKEN_READ_REPOSITORY, TokenProjection, type TokenReadRepository } from '../../tokens/src/index.js';
import { SqliteTokenRepository } from '../../tokens/src/infrastructure/sqlite-token.repository.js';
import {
  DELIVERY_READ_REPOSITORY,
  DeliveryProjection,
  type DeliveryReadRepository,
  DispatchSignal,
  ENDPOINT_READ_REPOSITORY,
  EndpointProjection,
  type EndpointReadRepository,
  SECRET_VAULT,
} from '../../webhooks/src/index.js';
import { SqliteDeliveryRepository } from '../../webhooks/src/infrastructure/sqlite-delivery.repository.js';
import { SqliteEndpointRepository } from '../../webhooks/src/infrastructure/sqlite-endpoint.repository.js';
import { SqliteSecretVault } from '../../webhooks/src/infrastructure/sqlite-secret-vault.js';
import { KEYS, type ResolvedKeys } from '../../config/src/index.js';
import { UPCASTERS } from './upcasters.js';

const eventStoreProvider = {
  provide: EVENT_STORE,
  inject: [APP_CONFIG],
  useFactory: async (config: AppConfig): Promise<EventStore> => {
    const upcasters = new UpcasterRegistry(UPCASTERS);
    if (config.eventstoreUrl) {
      const { EsdbEventStore } = await import('../../event-store/src/esdb/esdb-event-store.js');
      return new EsdbEventStore(config.eventstoreUrl, upcasters);
    }
    return new SqliteEventStore({ filename: join(config.dataDir, 'events.db'), upcasters });
  },
};

const readDatabaseProvider = {
  provide: SqliteReadDatabase,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new SqliteReadDatabase(join(config.dataDir, 'read-models.db')),
};

const repositoryProviders = [
  { provide: READ_STORE_HEALTH, inject: [SqliteReadDatabase], useFactory: (db: SqliteReadDatabase) => ({ ping: async () => db.ping() }) },
  { provide: CHECKPOINT_STORE, inject: [SqliteReadDatabase], useFactory: (db: SqliteReadDatabase) => new SqliteCheckpointStore(db) },
  { provide: TOKEN_READ_REPOSITORY, inject: [SqliteReadDatabase], useFactory: (db: SqliteReadDatabase) => new SqliteTokenRepository(db) },
  { provide: ENDPOINT_READ_REPOSITORY, inject: [SqliteReadDatabase], useFactory: (db: SqliteReadDatabase) => new SqliteEndpointRepository(db) },
  { provide: DELIVERY_READ_REPOSITORY, inject: [SqliteReadDatabase], useFactory: (db: SqliteReadDatabase) => new SqliteDeliveryRepository(db) },
  {
    provide: SECRET_VAULT,
    inject: [APP_CONFIG, KEYS],
    useFactory: (config: AppConfig, keys: ResolvedKeys) => new SqliteSecretVault(join(config.dataDir, 'keys.db'), keys.dataEncryptionKey),
  },
  { provide: DispatchSignal, useValue: new DispatchSignal() },
];

const projectionProviders = [
  {
    provide: PROJECTIONS,
    inject: [TOKEN_READ_REPOSITORY, ENDPOINT_READ_REPOSITORY, DELIVERY_READ_REPOSITORY, DispatchSignal],
    useFactory: (tokens: TokenReadRepository, endpoints: EndpointReadRepository, deliveries: DeliveryReadRepository, signal: DispatchSignal): Projection[] => [
      new TokenProjection(tokens),
      new EndpointProjection(endpoints),
      new DeliveryProjection(deliveries, (at) => signal.wake(at)),
    ],
  },
  {
    provide: ProjectionRunner,
    inject: [EVENT_STORE, CHECKPOINT_STORE, PROJECTIONS],
    useFactory: (store: EventStore, checkpoints: CheckpointStore, projections: Projection[]) => {
      const logger = new Logger('Projections');
      return new ProjectionRunner(store, checkpoints, projections, {
        onError: (name, error) => logger.error(`projection ${name} failed, resubscribing: ${String(error)}`),
      });
    },
  },
  { provide: READ_MODEL_SYNC, useExisting: ProjectionRunner },
];

/**
 * The one place where ports meet adapters: the event store (SQLite or EventStoreDB) and every
 * read-model repository, chosen from configuration. Capability modules only see the ports.
 */
@Global()
@Module({})
export class StorageModule implements OnModuleInit, OnApplicationShutdown {
  static forRoot(): DynamicModule {
    const providers = [
      { provide: CLOCK, useValue: systemClock },
      eventStoreProvider,
      readDatabaseProvider,
      ...repositoryProviders,
      ...projectionProviders,
    ];
    return {
      module: StorageModule,
      providers,
      exports: providers.map((p) => ('provide' in p ? p.provide : p)),
    };
  }

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readDb: SqliteReadDatabase,
  ) {}

  /** Projections run in every process: each API instance keeps its read-your-writes guarantee. */
  async onModuleInit(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    this.readDb.close();
  }
}
