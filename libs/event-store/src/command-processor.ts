import { type Decider, type EventMetadata, fold } from '../../kernel/src/index.js';
import type { EventStore } from './event-store.port.js';

/** Domain events are plain `{type, data}` records: exactly what is stored, no class names involved. */
export interface DomainEvent {
  type: string;
  data: object;
}

export interface Decision<State, Event> {
  events: Event[];
  /** State after the new events. */
  state: State;
  /** Store position of the last new event (0 when nothing was appended). */
  position: number;
  revision: number;
}

/** A stream's state as the caller already knows it, with the revision it reflects (-1: no stream). */
export interface KnownState<State> {
  state: State;
  revision: number;
}

/**
 * The load → decide → append cycle shared by every command handler. The expected revision is the
 * revision the decision was made on, so a concurrent writer makes this append fail with a conflict
 * instead of silently interleaving. With `known` the stream is not read: a stale `known` is safe,
 * it only turns into that same conflict, and the caller retries with a fresh load.
 */
export async function decideAndAppend<State, Command, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: Command,
  metadata: EventMetadata,
  known?: KnownState<State>,
): Promise<Decision<State, Event>> {
  let state: State;
  let revision: number;
  if (known) {
    ({ state, revision } = known);
  } else {
    const history = await store.readStream(streamId);
    state = fold(decider, history as unknown as Event[]);
    revision = history.length === 0 ? -1 : history[history.length - 1]!.revision;
  }
  const events = decider.decide(command, state);
  if (events.length === 0) return { events, state, position: 0, revision };
  const result = await store.append(
    streamId,
    events.map((e) => ({ type: e.type, data: e.data, metadata })),
    revision === -1 ? 'no_stream' : revision,
  );
  for (const event of events) state = decider.evolve(state, event);
  return { events, state, position: result.position, revision: result.nextExpectedRevision };
}

/** Folds a stream's history into state, optionally only up to an instant (audit `asOf`). */
export async function loadState<State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<State, unknown, Event>, 'initialState' | 'evolve'>,
  asOf?: Date,
): Promise<{ state: State; revision: number; exists: boolean }> {
  const history = await store.readStream(streamId);
  let state = decider.initialState();
  let revision = -1;
  for (const recorded of history) {
    if (asOf && new Date(recorded.recordedAt) > asOf) break;
    state = decider.evolve(state, recorded as unknown as Event);
    revision = recorded.revision;
  }
  return { state, revision, exists: revision >= 0 };
}
