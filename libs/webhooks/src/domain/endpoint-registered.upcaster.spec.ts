import { SqliteEventStore } from '../../../event-store/src/sqlite/sqlite-event-store.js';
import { UpcasterRegistry } from '../../../event-store/src/upcaster-registry.js';
import { endpointDecider } from './endpoint.decider.js';
import { endpointRegisteredV1toV2 } from './endpoint-registered.upcaster.js';

describe('EndpointRegistered upcaster (v1 without description → v2)', () => {
  const registry = new UpcasterRegistry([endpointRegisteredV1toV2]);

  it('given a stored v1 event without description, reading gives v2 with an empty description, and the fold accepts it', async () => {
    const store = new SqliteEventStore({ filename: ':memory:', upcasters: registry });
    const v1 = {
      endpointId: 'ep_1',
      workspaceId: 'ws_1',
      url: 'https://example.com/h',
      events: ['*'],
      secret: 'v1.x.y.z',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await store.append(
      'endpoint-ep_1',
      [{ type: 'EndpointRegistered', data: v1, schemaVersion: 1 }],
      'no_stream',
    );
    const [read] = await store.readStream('endpoint-ep_1');
    expect(read!.schemaVersion).toBe(2);
    expect(read!.data).toEqual({ ...v1, description: '' });
    const state = endpointDecider.evolve(endpointDecider.initialState(), read as never);
    expect(state).toMatchObject({ status: 'enabled', description: '' });
    await store.close();
  });

  it('new events are written as v2 and read unchanged', async () => {
    const store = new SqliteEventStore({ filename: ':memory:', upcasters: registry });
    const v2 = {
      endpointId: 'ep_2',
      workspaceId: 'ws_1',
      url: 'https://example.com/h',
      events: ['*'],
      description: 'Billing',
      secret: 's',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await store.append('endpoint-ep_2', [{ type: 'EndpointRegistered', data: v2 }], 'no_stream');
    const raw = store.database.prepare('SELECT schema_version FROM events').get() as {
      schema_version: number;
    };
    expect(raw.schema_version).toBe(2);
    const [read] = await store.readStream('endpoint-ep_2');
    expect(read!.data).toEqual(v2);
    await store.close();
  });
});
