import { sqliteContractFactory } from '../../../read-store/src/contract/sqlite-contract-factory.js';
import {
  mongoContractFactory,
  mongoContractOptions,
} from '../../../read-store/src/mongoose/mongo-contract-factory.js';
import { MongooseDeliveryRepository } from '../infrastructure/mongoose-delivery.repository.js';
import { SqliteDeliveryRepository } from '../infrastructure/sqlite-delivery.repository.js';
import { deliveryReadRepositoryContract } from './delivery-read.repository.contract.js';

deliveryReadRepositoryContract(
  'embedded sqlite',
  sqliteContractFactory(({ db }) => new SqliteDeliveryRepository(db)),
);

deliveryReadRepositoryContract(
  'mongoose',
  mongoContractFactory('deliveries', (mongo) => MongooseDeliveryRepository.open(mongo)),
  mongoContractOptions(),
);
