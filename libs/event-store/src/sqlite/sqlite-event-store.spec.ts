import type { EventEmitter } from 'node:events';
import type { RecordedEvent } from '../../../kernel/src/index.js';
import { SqliteEventStore } from './sqlite-event-store.js';

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The store's in-process append signal (private), to check subscriptions let go of it. */
function appendListeners(store: SqliteEventStore): number {
  return (store as unknown as { appended: EventEmitter }).appended.listenerCount('append');
}

describe('SqliteEventStore subscriptions', () => {
  // A poll interval far beyond the test timeouts: anything delivered quickly was woken in-process.
  const pollIntervalMs = 60_000;
  let store: SqliteEventStore;

  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:', pollIntervalMs });
  });

  afterEach(async () => {
    await store.close();
  });

  it('does not miss an in-process append made while onEvent runs (a reaction appending the next event)', async () => {
    const seen: string[] = [];
    const sub = store.subscribeToAll({
      onEvent: async (e: RecordedEvent) => {
        seen.push(e.type);
        if (e.type === 'Ping') await store.append('s-1', [{ type: 'Pong', data: {} }], 0);
      },
    });
    await store.append('s-1', [{ type: 'Ping', data: {} }], 'no_stream');
    await waitFor('the reaction', () => seen.length >= 2);
    expect(seen).toEqual(['Ping', 'Pong']);
    await sub.stop();
  });

  it('lets go of the append signal when the subscription dies, not only on stop()', async () => {
    const before = appendListeners(store);
    const errors: unknown[] = [];
    const failure = new Error('projection failed');
    store.subscribeToAll({
      onEvent: () => {
        throw failure;
      },
      onError: (error) => errors.push(error),
    });
    expect(appendListeners(store)).toBe(before + 1);
    await store.append('s-1', [{ type: 'A', data: {} }], 'no_stream');
    await waitFor('onError', () => errors.length > 0);
    expect(errors).toEqual([failure]);
    await waitFor('the listener to go', () => appendListeners(store) === before);
  });

  it('ends live subscriptions quietly when the store is closed', async () => {
    const errors: unknown[] = [];
    let caughtUp = false;
    const sub = store.subscribeToAll({
      onEvent: () => undefined,
      onCaughtUp: () => {
        caughtUp = true;
      },
      onError: (error) => errors.push(error),
    });
    await waitFor('catch-up', () => caughtUp);
    await store.close();
    // The loop has ended by itself (it no longer listens), rather than polling a closed file forever.
    await waitFor('the loop to end', () => appendListeners(store) === 0);
    expect(errors).toEqual([]);
    await sub.stop();
  });
});
