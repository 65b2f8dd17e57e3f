import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type Direction,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../../kernel/src/index.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  SubscribeOptions,
  Subscription,
} from '../event-store.port.js';
import { UpcasterRegistry } from '../upcaster-registry.js';
import { WrongExpectedRevisionError } from '../wrong-expected-revision.error.js';

/** Events per page when catching up or skipping system events. */
const PAGE_SIZE = 500;
/** Events per page when walking back from the end to the newest event of ours. */
const HEAD_PAGE_SIZE = 50;
/** The metadata key that carries the schema version of `data` next to the caller's metadata. */
const SCHEMA_VERSION_KEY = 'schemaVersion';

type EsdbRecordedEvent = NonNullable<ResolvedEvent['event']>;

/**
 * EventStoreDB adapter (`@eventstore/db-client` 6.x, gRPC).
 *
 * Positions: the port's global position is `Number(commitPosition)`. Events written through gRPC
 * appends are implicit transactions, for which the server reports each event at its own log
 * position (`commit === prepare`, strictly increasing, one append contiguous), so the commit
 * position alone identifies an event and `{ commit: p, prepare: p }` resumes right at it. This
 * would not hold for events written by legacy TCP explicit transactions (several events sharing a
 * commit position); this service never writes those. `Number()` is exact below 2^53 bytes of log
 * (8 PiB). Positions of events read from a single stream need server 22.6 or later.
 *
 * System events (type or stream starting with `$`) and non-JSON events are never surfaced.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly upcasters: UpcasterRegistry;

  /** `connectionString` e.g. `esdb://localhost:2113?tls=false`. */
  constructor(connectionString: string, upcasters?: UpcasterRegistry) {
    this.client = EventStoreDBClient.connectionString(connectionString);
    this.upcasters = upcasters ?? new UpcasterRegistry();
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const data = events.map((event) =>
      jsonEvent({
        type: event.type,
        data: event.data as JSONType,
        metadata: {
          ...(event.metadata ?? {}),
          [SCHEMA_VERSION_KEY]: event.schemaVersion ?? this.upcasters.currentVersion(event.type),
        },
      }),
    );
    try {
      const result = await this.client.appendToStream(streamId, data, {
        expectedRevision: toEsdbExpected(expected),
      });
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      const position =
        result.position !== undefined
          ? Number(result.position.commit)
          : await this.positionOf(streamId, result.nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion === NO_STREAM ? 'no_stream' : Number(error.actualVersion);
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      throw error;
    }
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: START,
        direction: FORWARDS,
      })) {
        const event = this.toEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let cursor: Position | undefined = options.after ? atPosition(options.after) : undefined;
    // System events count against maxCount, so keep paging until `limit` events of ours or the end of $all.
    while (events.length < options.limit) {
      const maxCount = Math.max(PAGE_SIZE, options.limit - events.length + 1);
      const page = await this.readAllPage(fromCheckpoint(cursor), FORWARDS, maxCount);
      for (const resolved of page) {
        const position = resolved.event?.position;
        // `fromPosition` is inclusive; `after` is not.
        if (!position || (cursor && comparePositions(position, cursor) <= 0)) continue;
        cursor = position;
        const event = this.toEvent(resolved);
        if (event) events.push(event);
        if (events.length === options.limit) break;
      }
      if (page.length < maxCount) break;
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    let stopped = false;
    let live: AllStreamSubscription | undefined;
    // The exact position of the last record seen (ours or not), so nothing is delivered twice.
    let cursor: Position | undefined = options.after ? atPosition(options.after) : undefined;

    const deliver = async (resolved: AllStreamResolvedEvent): Promise<void> => {
      const position = resolved.event?.position;
      if (!position) return;
      if (cursor && comparePositions(position, cursor) <= 0) return;
      const event = this.toEvent(resolved);
      if (event) await options.onEvent(event);
      cursor = position;
    };

    const run = async (): Promise<void> => {
      // Catch up by reading $all to its end, so onCaughtUp is reported whatever the server version.
      for (;;) {
        const page = await this.readAllPage(fromCheckpoint(cursor), FORWARDS, PAGE_SIZE);
        for (const resolved of page) {
          if (stopped) return;
          await deliver(resolved);
        }
        if (stopped) return;
        if (page.length < PAGE_SIZE) break;
      }
      options.onCaughtUp?.();

      // Live: the server sends what was appended since the cursor (which may overlap the catch-up; `deliver` skips those).
      live = this.client.subscribeToAll({
        fromPosition: cursor ?? START,
        filter: excludeSystemEvents(),
      });
      if (stopped) {
        await live.unsubscribe();
        return;
      }
      // `for await` pulls one event at a time, so onEvent is awaited before the next one.
      for await (const resolved of live) {
        if (stopped) return;
        await deliver(resolved);
      }
      if (!stopped) throw new Error('EventStoreDB subscription to $all ended');
    };

    const done = run().catch((error: unknown) => {
      if (stopped) return;
      stopped = true;
      // The client does not resubscribe by itself: the owner resubscribes from its checkpoint.
      void live?.unsubscribe().catch(() => undefined);
      options.onError?.(error);
    });

    return {
      stop: async () => {
        if (stopped) return done;
        stopped = true;
        await live?.unsubscribe().catch(() => undefined);
        live?.destroy();
        await done;
      },
    };
  }

  async headPosition(): Promise<number> {
    let from: ReadPosition = END;
    // Walk back over system events to the newest of ours.
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS, HEAD_PAGE_SIZE);
      for (const resolved of page) {
        const position = resolved.event?.position;
        if (position && this.toEvent(resolved, false)) return Number(position.commit);
      }
      const last = page[page.length - 1]?.event?.position;
      // Whether or not a backwards read includes its start, each full page moves back by 49+ records.
      if (page.length < HEAD_PAGE_SIZE || !last) return 0;
      from = last;
    }
  }

  async ping(): Promise<boolean> {
    await this.readAllPage(END, BACKWARDS, 1);
    return true;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** One bounded page of $all, fully read (so no gRPC call is left half-consumed). */
  private async readAllPage(
    fromPosition: ReadPosition,
    direction: Direction,
    maxCount: number,
  ): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount }))
      page.push(resolved);
    return page;
  }

  /** Append results lack a position only on very old servers: read the event back. */
  private async positionOf(streamId: string, revision: bigint): Promise<number> {
    for await (const resolved of this.client.readStream(streamId, { fromRevision: revision, maxCount: 1 })) {
      const position = resolved.event?.position ?? undefined;
      if (position) return Number(position.commit);
    }
    throw new Error(`EventStoreDB returned no position for ${streamId}@${revision}`);
  }

  /** Maps a stored event to the port's shape, or undefined for a system or non-JSON event. */
  private toEvent(
    resolved: ResolvedEvent | AllStreamResolvedEvent,
    upcast = true,
  ): RecordedEvent | undefined {
    const event = resolved.event as EsdbRecordedEvent | undefined;
    if (!event || event.type.startsWith('$') || event.streamId.startsWith('$') || !event.isJson)
      return undefined;
    const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = isObject(event.metadata)
      ? event.metadata
      : {};
    const commit = event.position?.commit ?? resolved.commitPosition;
    const recorded: RecordedEvent = {
      position: commit === undefined ? -1 : Number(commit),
      streamId: event.streamId,
      revision: Number(event.revision),
      type: event.type,
      schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
      data: event.data,
      metadata: metadata as EventMetadata,
      recordedAt: event.created.toISOString(),
    };
    return upcast ? this.upcasters.upcast(recorded) : recorded;
  }
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
}

/** The exact $all position of the event at public position `p` (see the class comment). */
function atPosition(p: number): Position {
  return { commit: BigInt(p), prepare: BigInt(p) };
}

function fromCheckpoint(after: number | Position | undefined): ReadPosition {
  if (after === undefined || after === 0) return START;
  return typeof after === 'number' ? atPosition(after) : after;
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
