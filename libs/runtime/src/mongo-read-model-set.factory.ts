import type { ReadModelSet, ReadModelSetFactory } from '../../read-store/src/index.js';
import { MongoConnection } from '../../read-store/src/mongoose/mongo-connection.js';
import { MongooseCheckpointStore } from '../../read-store/src/mongoose/mongoose-checkpoint-store.js';
import { MongooseTokenRepository } from '../../tokens/src/infrastructure/mongoose-token.repository.js';
import { MongooseDeliveryRepository } from '../../webhooks/src/infrastructure/mongoose-delivery.repository.js';
import { MongooseEndpointRepository } from '../../webhooks/src/infrastructure/mongoose-endpoint.repository.js';
import { buildProjections, READ_MODEL_TOKENS } from './read-model-registry.js';

interface GenerationMarker {
  _id: string;
  generation: number;
}

/**
 * MongoDB read models: one database per generation (`<db>_rm1`, `<db>_rm2`, …); the database named
 * in MONGO_URL keeps what must survive rebuilds (secret keys, saga checkpoints, the live-generation marker).
 */
export class MongoReadModelSetFactory implements ReadModelSetFactory {
  constructor(
    private readonly url: string,
    private readonly durable: MongoConnection,
    private readonly onDue: (at: Date, endpointId: string) => void,
  ) {}

  private markers() {
    return this.durable.connection.collection<GenerationMarker>('read_model_generation');
  }

  async activeGeneration(): Promise<number> {
    const marker = await this.markers().findOne({ _id: 'active' });
    return marker?.generation ?? 1;
  }

  async activate(generation: number): Promise<void> {
    await this.markers().updateOne({ _id: 'active' }, { $set: { generation } }, { upsert: true });
  }

  async open(generation: number, options: { live: boolean }): Promise<ReadModelSet> {
    const dbName = `${this.durable.databaseName}_rm${generation}`;
    let mongo = await MongoConnection.open(this.url, { dbName });
    if (!options.live) {
      // Leftovers of an interrupted rebuild: start from an empty database.
      await mongo.connection.dropDatabase();
      await mongo.close();
      mongo = await MongoConnection.open(this.url, { dbName });
    }
    const [tokens, endpoints, deliveries, checkpoints] = await Promise.all([
      MongooseTokenRepository.open(mongo),
      MongooseEndpointRepository.open(mongo),
      MongooseDeliveryRepository.open(mongo),
      MongooseCheckpointStore.open(mongo),
    ]);
    return {
      generation,
      projections: buildProjections({ tokens, endpoints, deliveries }, this.onDue),
      checkpoints,
      repositories: new Map<symbol, object>([
        [READ_MODEL_TOKENS.tokens, tokens],
        [READ_MODEL_TOKENS.endpoints, endpoints],
        [READ_MODEL_TOKENS.deliveries, deliveries],
      ]),
      ping: () => mongo.ping(),
      close: () => mongo.close(),
      drop: async () => {
        await mongo.connection.dropDatabase();
        await mongo.close();
      },
    };
  }
}
