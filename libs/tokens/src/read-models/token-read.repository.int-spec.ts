import { sqliteContractFactory } from '../../../read-store/src/contract/sqlite-contract-factory.js';
import {
  mongoContractFactory,
  mongoContractOptions,
} from '../../../read-store/src/mongoose/mongo-contract-factory.js';
import { MongooseTokenRepository } from '../infrastructure/mongoose-token.repository.js';
import { SqliteTokenRepository } from '../infrastructure/sqlite-token.repository.js';
import { tokenReadRepositoryContract } from './token-read.repository.contract.js';

tokenReadRepositoryContract(
  'embedded sqlite',
  sqliteContractFactory(({ db }) => new SqliteTokenRepository(db)),
);

tokenReadRepositoryContract(
  'mongoose',
  mongoContractFactory('tokens', (mongo) => MongooseTokenRepository.open(mongo)),
  mongoContractOptions(),
);
