import { sqliteContractFactory } from '../../../read-store/src/contract/sqlite-contract-factory.js';
import {
  mongoContractFactory,
  mongoContractOptions,
} from '../../../read-store/src/mongoose/mongo-contract-factory.js';
import { MongooseEndpointRepository } from '../infrastructure/mongoose-endpoint.repository.js';
import { SqliteEndpointRepository } from '../infrastructure/sqlite-endpoint.repository.js';
import { endpointReadRepositoryContract } from './endpoint-read.repository.contract.js';

endpointReadRepositoryContract(
  'embedded sqlite',
  sqliteContractFactory(({ db }) => new SqliteEndpointRepository(db)),
);

endpointReadRepositoryContract(
  'mongoose',
  mongoContractFactory('endpoints', (mongo) => MongooseEndpointRepository.open(mongo)),
  mongoContractOptions(),
);
