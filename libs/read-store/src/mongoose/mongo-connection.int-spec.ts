import { mongoContractFactory, mongoContractOptions } from './mongo-contract-factory.js';
import { databaseNameOf, withDatabase } from './mongo-url.js';
import { MongoConnection } from './mongo-connection.js';

describe('MongoConnection.open without a server', () => {
  it('fails fast with a clear error when the server cannot be reached', async () => {
    await expect(
      MongoConnection.open('mongodb://127.0.0.1:9/none', { serverSelectionTimeoutMS: 300 }),
    ).rejects.toThrow(/cannot use the MongoDB read store \(MONGO_URL\)/);
  });
});

describe('databaseNameOf', () => {
  it.each([
    ['mongodb://127.0.0.1:27018/whatsmine', 'whatsmine'],
    ['mongodb://user:p%40ss@a:1,b:2/app?replicaSet=rs0', 'app'],
    ['mongodb+srv://cluster.example.net/prod?retryWrites=true', 'prod'],
    ['mongodb://127.0.0.1:27017', 'test'],
    ['mongodb://127.0.0.1:27017/?tls=false', 'test'],
  ])('%s → %s', (url, name) => {
    expect(databaseNameOf(url)).toBe(name);
  });
});

describe('withDatabase', () => {
  it('swaps the database and keeps host list and options', () => {
    expect(withDatabase('mongodb://u:p@a:1,b:2/app?replicaSet=rs0&tls=true', 'app_e2e_1')).toBe(
      'mongodb://u:p@a:1,b:2/app_e2e_1?replicaSet=rs0&tls=true',
    );
    expect(withDatabase('mongodb://127.0.0.1:27018', 'x')).toBe('mongodb://127.0.0.1:27018/x');
    expect(withDatabase('mongodb://127.0.0.1:27018/?tls=false', 'x')).toBe(
      'mongodb://127.0.0.1:27018/x?tls=false',
    );
  });

  it('refuses a name a server would not take', () => {
    expect(() => withDatabase('mongodb://h/db', 'a.b')).toThrow(/unusable/);
    expect(() => withDatabase('postgres://h/db', 'x')).toThrow(/not a mongodb/);
  });
});

const { skipReason } = mongoContractOptions();
const connect = mongoContractFactory('connection', async (mongo) => mongo);

(skipReason ? describe.skip : describe)('MongoConnection [mongoose]', () => {
  if (skipReason) it.skip(`skipped: ${skipReason}`, () => undefined);

  it('opens its own connection on the database it was given and answers ping', async () => {
    const fixture = await connect();
    const mongo = await fixture.open();
    try {
      expect(mongo.databaseName).toMatch(/_connection_[0-9a-f]{8}$/);
      expect(await mongo.ping()).toBe(true);
      expect(mongo.server.version).toMatch(/^\d+\./);
    } finally {
      await fixture.cleanup();
    }
    expect(await mongo.ping()).toBe(false);
  });

  it('serialises writes exactly on FerretDB 1.x (updates there are not atomic)', async () => {
    const fixture = await connect();
    const mongo = await fixture.open();
    try {
      expect(mongo.locks.enabled).toBe(/^v?1\./.test(mongo.server.ferretdbVersion ?? ''));
    } finally {
      await fixture.cleanup();
    }
  });
});
