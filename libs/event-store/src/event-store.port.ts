import type { NewEvent, RecordedEvent } from '../../kernel/src/index.js';

export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * What the appender believes about the stream: its last revision (0-based), or one of the states.
 * Mirrors EventStoreDB's semantics so both adapters answer the same.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendResult {
  /** Revision of the last appended event. */
  nextExpectedRevision: number;
  /** Global position of the last appended event. */
  position: number;
}

export interface ReadAllOptions {
  /** Exclusive lower bound on position; omit to start at the beginning. */
  after?: number;
  /** Most events to return. */
  limit: number;
}

export interface SubscribeOptions {
  /** Exclusive: the subscription delivers events with a position greater than this (a saved checkpoint). */
  after?: number;
  /** Called once per event, in order; the next event waits for the promise. */
  onEvent: (event: RecordedEvent) => Promise<void> | void;
  /** Called when the subscription dies; the owner resubscribes from its checkpoint. */
  onError?: (error: unknown) => void;
  /** Called once the subscription has caught up with history and is live. */
  onCaughtUp?: () => void;
}

export interface Subscription {
  stop(): Promise<void>;
}

/**
 * The event store port: append with optimistic concurrency, read a stream, read all in store order,
 * subscribe (catch-up, then live). System/foreign events are never surfaced.
 */
export interface EventStore {
  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream, oldest first; an unknown stream is an empty list. */
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** Events of all streams in store order, oldest first. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Position of the newest event, or 0 for an empty store. */
  headPosition(): Promise<number>;
  /** True when the store answers (readiness probe). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
