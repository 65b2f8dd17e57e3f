import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sqliteContractFactory } from '../../../read-store/src/contract/sqlite-contract-factory.js';
import {
  mongoContractFactory,
  mongoContractOptions,
} from '../../../read-store/src/mongoose/mongo-contract-factory.js';
import { MongooseSecretVault } from '../infrastructure/mongoose-secret-vault.js';
import { SqliteSecretVault } from '../infrastructure/sqlite-secret-vault.js';
import { secretVaultContract } from './secret-vault.contract.js';

// One DATA_ENCRYPTION_KEY for the whole file, as for every process of one deployment.
const masterKey = randomBytes(32);

secretVaultContract(
  'embedded sqlite',
  sqliteContractFactory(({ dir, onClose }) => {
    const vault = new SqliteSecretVault(join(dir, 'keys.db'), masterKey);
    onClose(() => vault.close());
    return vault;
  }),
);

secretVaultContract(
  'mongoose',
  mongoContractFactory('vault', (mongo) => MongooseSecretVault.open(mongo, masterKey)),
  mongoContractOptions(),
);
