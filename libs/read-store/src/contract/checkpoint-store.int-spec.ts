import { SqliteCheckpointStore } from '../embedded/sqlite-checkpoint-store.js';
import { mongoContractFactory, mongoContractOptions } from '../mongoose/mongo-contract-factory.js';
import { MongooseCheckpointStore } from '../mongoose/mongoose-checkpoint-store.js';
import { checkpointStoreContract } from './checkpoint-store.contract.js';
import { sqliteContractFactory } from './sqlite-contract-factory.js';

checkpointStoreContract(
  'embedded sqlite',
  sqliteContractFactory(({ db }) => new SqliteCheckpointStore(db)),
);

checkpointStoreContract(
  'mongoose',
  mongoContractFactory('checkpoints', (mongo) => MongooseCheckpointStore.open(mongo)),
  mongoContractOptions(),
);
