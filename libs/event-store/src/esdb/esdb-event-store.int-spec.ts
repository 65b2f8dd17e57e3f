import { eventStoreContract } from '../contract/event-store.contract.js';
import { EsdbEventStore } from './esdb-event-store.js';

// e.g. EVENTSTORE_URL='esdb://127.0.0.1:2113?tls=false'. The server is shared: the contract only
// touches its own randomly named streams, so it can run against a database that already has data.
const url = process.env.EVENTSTORE_URL;

eventStoreContract(
  'esdb',
  async (upcasters) => {
    if (!url) throw new Error('EVENTSTORE_URL is not set');
    const store = new EsdbEventStore(url, upcasters);
    return { store, cleanup: () => store.close() };
  },
  url ? {} : { skipReason: 'EVENTSTORE_URL is not set (no EventStoreDB server on this machine)' },
);
