import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig, KEYS, type ResolvedKeys } from '../../config/src/index.js';
import { CLOCK, systemClock } from '../../kernel/src/index.js';
import { EVENT_STORE, type EventStore, UpcasterRegistry } from '../../event-store/src/index.js';
import { SqliteEventStore } from '../../event-store/src/sqlite/sqlite-event-store.js';
import {
  CHECKPOINT_STORE,
  type CheckpointStore,
  InstanceRegistry,
  READ_MODEL_SET_FACTORY,
  READ_MODEL_SYNC,
  READ_STORE_HEALTH,
  type ReadModelSetFactory,
  ReadModels,
  type ReadStoreHealth,
} from '../../read-store/src/index.js';
import { SqliteReadDatabase } from '../../read-store/src/embedded/sqlite-read-database.js';
import { SqliteCheckpointStore } from '../../read-store/src/embedded/sqlite-checkpoint-store.js';
import type { MongoConnection } from '../../read-store/src/mongoose/mongo-connection.js';
import { DispatchSignal, SECRET_VAULT, type SecretVault } from '../../webhooks/src/index.js';
import { SqliteSecretVault } from '../../webhooks/src/infrastructure/sqlite-secret-vault.js';
import { READ_MODEL_TOKENS } from './read-model-registry.js';
import { SqliteReadModelSetFactory } from './sqlite-read-model-set.factory.js';
import { UPCASTERS } from './upcasters.js';

/** Everything opened here that must be closed at shutdown, closed last-opened first. */
export class StorageResources {
  private readonly closers: Array<{ name: string; close: () => void | Promise<void> }> = [];
  private readonly logger = new Logger('Storage');

  add(name: string, close: () => void | Promise<void>): void {
    this.closers.push({ name, close });
  }

  async closeAll(): Promise<void> {
    for (const { name, close } of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        this.logger.warn(`closing ${name} failed: ${String(error)}`);
      }
    }
  }
}

/**
 * Durable state outside the read models (they are disposable, rebuilt generation by generation):
 * secret keys and saga checkpoints. Embedded: files in DATA_DIR. MongoDB: the database named in MONGO_URL.
 */
type DurableBackend =
  { kind: 'embedded'; dataDir: string } | { kind: 'mongo'; mongo: MongoConnection; url: string };

const DURABLE_BACKEND = Symbol('DURABLE_BACKEND');

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

const durableBackendProvider = {
  provide: DURABLE_BACKEND,
  inject: [APP_CONFIG, StorageResources],
  useFactory: async (config: AppConfig, resources: StorageResources): Promise<DurableBackend> => {
    if (config.mongoUrl) {
      const { MongoConnection } = await import('../../read-store/src/mongoose/mongo-connection.js');
      const mongo = await MongoConnection.open(config.mongoUrl);
      resources.add('MongoDB', () => mongo.close());
      if (mongo.locks.enabled) {
        new Logger('Storage').log(
          `read models on FerretDB ${mongo.server.ferretdbVersion}: writes to one document are serialised with lock documents`,
        );
      }
      return { kind: 'mongo', mongo, url: config.mongoUrl };
    }
    return { kind: 'embedded', dataDir: config.dataDir };
  },
};

const readModelProviders = [
  { provide: DispatchSignal, useValue: new DispatchSignal() },
  {
    provide: READ_MODEL_SET_FACTORY,
    inject: [DURABLE_BACKEND, DispatchSignal],
    useFactory: async (backend: DurableBackend, signal: DispatchSignal): Promise<ReadModelSetFactory> => {
      const onDue = (at: Date, endpointId: string) => signal.wake(at, endpointId);
      if (backend.kind === 'mongo') {
        const { MongoReadModelSetFactory } = await import('./mongo-read-model-set.factory.js');
        return new MongoReadModelSetFactory(backend.url, backend.mongo, onDue);
      }
      return new SqliteReadModelSetFactory(backend.dataDir, onDue);
    },
  },
  {
    provide: ReadModels,
    inject: [EVENT_STORE, READ_MODEL_SET_FACTORY, CHECKPOINT_STORE],
    useFactory: (store: EventStore, factory: ReadModelSetFactory, checkpoints: CheckpointStore) => {
      const logger = new Logger('Projections');
      return new ReadModels(
        store,
        factory,
        (name, error) => logger.error(`projection ${name} failed, resubscribing: ${String(error)}`),
        new InstanceRegistry(checkpoints),
      );
    },
  },
  { provide: READ_MODEL_SYNC, useExisting: ReadModels },
  {
    provide: READ_STORE_HEALTH,
    inject: [ReadModels],
    useFactory: (rm: ReadModels): ReadStoreHealth => ({ ping: () => rm.ping() }),
  },
  // Repository ports are proxies to the live generation, so a rebuild can switch under a running API.
  ...Object.values(READ_MODEL_TOKENS).map((token) => ({
    provide: token,
    inject: [ReadModels],
    useFactory: (rm: ReadModels) => rm.proxy(token),
  })),
];

const durableProviders = [
  {
    // Saga checkpoints: never reset by a rebuild, so the saga never reacts to a replay.
    provide: CHECKPOINT_STORE,
    inject: [DURABLE_BACKEND, StorageResources],
    useFactory: async (backend: DurableBackend, resources: StorageResources): Promise<CheckpointStore> => {
      if (backend.kind === 'mongo') {
        const { MongooseCheckpointStore } =
          await import('../../read-store/src/mongoose/mongoose-checkpoint-store.js');
        return MongooseCheckpointStore.open(backend.mongo);
      }
      const db = new SqliteReadDatabase(join(backend.dataDir, 'state.db'), { groupCommit: false });
      resources.add('SQLite state', () => db.close());
      return new SqliteCheckpointStore(db);
    },
  },
  {
    provide: SECRET_VAULT,
    inject: [DURABLE_BACKEND, KEYS, StorageResources],
    useFactory: async (
      backend: DurableBackend,
      keys: ResolvedKeys,
      resources: StorageResources,
    ): Promise<SecretVault> => {
      if (backend.kind === 'mongo') {
        const { MongooseSecretVault } =
          await import('../../webhooks/src/infrastructure/mongoose-secret-vault.js');
        return MongooseSecretVault.open(backend.mongo, keys.dataEncryptionKey);
      }
      const vault = new SqliteSecretVault(join(backend.dataDir, 'keys.db'), keys.dataEncryptionKey);
      resources.add('SQLite key vault', () => vault.close());
      return vault;
    },
  },
];

/**
 * The one place where ports meet adapters: the event store (SQLite, or EventStoreDB when
 * EVENTSTORE_URL is set) and every read-side port (SQLite, or MongoDB through mongoose when
 * MONGO_URL is set), chosen independently from configuration. Capability modules only see the ports.
 */
@Global()
@Module({})
export class StorageModule implements OnModuleInit, OnApplicationShutdown {
  static forRoot(): DynamicModule {
    const providers = [
      { provide: CLOCK, useValue: systemClock },
      { provide: StorageResources, useValue: new StorageResources() },
      eventStoreProvider,
      durableBackendProvider,
      ...readModelProviders,
      ...durableProviders,
    ];
    return {
      module: StorageModule,
      providers,
      exports: providers.map((p) => p.provide),
    };
  }

  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly resources: StorageResources,
  ) {}

  /** Projections run in every process: each API instance keeps its read-your-writes guarantee. */
  async onModuleInit(): Promise<void> {
    await this.readModels.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readModels.stop();
    await this.store.close();
    await this.resources.closeAll();
  }
}
