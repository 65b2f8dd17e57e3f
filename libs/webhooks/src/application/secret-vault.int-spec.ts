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

describe('SqliteSecretVault shared by two processes (one DATA_DIR)', () => {
  it('a key destroyed through one instance is unusable through the other at once', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'wm-vault-'));
    const a = new SqliteSecretVault(join(dir, 'keys.db'), masterKey);
    const b = new SqliteSecretVault(join(dir, 'keys.db'), masterKey);
    try {
      const blob = await a.encrypt('ep_shared', 'whsec_abc');
      await expect(b.decrypt('ep_shared', blob)).resolves.toBe('whsec_abc');
      await a.destroy('ep_shared');
      await expect(b.decrypt('ep_shared', blob)).resolves.toBeNull();
    } finally {
      a.close();
      b.close();
    }
  });
});
