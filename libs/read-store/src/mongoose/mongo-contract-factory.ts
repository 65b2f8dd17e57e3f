import { randomBytes } from 'node:crypto';
import type { ContractFactory, ContractOptions } from '../contract/contract-suite.js';
import { MongoConnection } from './mongo-connection.js';
import { databaseNameOf } from './mongo-url.js';

/** For contract suites: skip (visibly) without a server. */
export function mongoContractOptions(): ContractOptions {
  return process.env.MONGO_URL ? {} : { skipReason: 'MONGO_URL is not set' };
}

/**
 * Mongo fixtures for one test file: a database of its own, `<MONGO_URL's database>_<label>_<random>`,
 * emptied (not dropped: the indexes stay) before each test and dropped after the file. Each `open`
 * is a new connection, as another process would have. Call at the top level of an int-spec (it
 * registers an afterAll hook).
 */
export function mongoContractFactory<T>(
  label: string,
  open: (mongo: MongoConnection) => Promise<T>,
): ContractFactory<T> {
  const url = process.env.MONGO_URL;
  const dbName = url ? `${databaseNameOf(url)}_${label}_${randomBytes(4).toString('hex')}`.slice(0, 63) : '';
  let admin: MongoConnection | undefined;

  afterAll(async () => {
    if (!admin) return;
    await admin.connection.dropDatabase();
    await admin.close();
  });

  return async () => {
    if (!url) throw new Error('MONGO_URL is not set');
    admin ??= await MongoConnection.open(url, { dbName });
    for (const collection of await admin.connection.listCollections()) {
      await admin.connection.collection(collection.name).deleteMany({});
    }
    const opened: MongoConnection[] = [];
    return {
      open: async () => {
        const mongo = await MongoConnection.open(url, { dbName });
        opened.push(mongo);
        return open(mongo);
      },
      cleanup: async () => {
        await Promise.all(opened.map((mongo) => mongo.close()));
      },
    };
  };
}
