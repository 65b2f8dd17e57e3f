import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type RecordedEvent } from '../../kernel/src/index.js';
import { EVENT_STORE, type EventStore, loadState } from '../../event-store/src/index.js';
import { type AuditFilter, matches } from './audit-filter.js';
import { foldFor } from './aggregate-folds.js';
import { redact } from './redact.js';

export interface AuditEntry {
  position: number;
  streamId: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

export interface AuditPage {
  data: AuditEntry[];
  /** The position to pass as `after` for the next page; null once the end of the history is reached. */
  nextCursor: string | null;
}

/** Scanning stops after this many events per page even when few match, so one request stays cheap. */
const MAX_SCAN_PER_PAGE = 20_000;
const BATCH = 1000;

export function toAuditEntry(e: RecordedEvent): AuditEntry {
  return {
    position: e.position,
    streamId: e.streamId,
    revision: e.revision,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: redact(e.data),
    metadata: redact(e.metadata),
    recordedAt: e.recordedAt,
  };
}

/** The audit trail: the event history in store order, redacted, and aggregates folded "as of" an instant. */
@Injectable()
export class AuditLog {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async page(after: number, limit: number, filter: AuditFilter): Promise<AuditPage> {
    if (filter.streamId) {
      const events = (await this.store.readStream(filter.streamId)).filter(
        (e) => e.position > after && matches(e, filter),
      );
      const data = events.slice(0, limit).map(toAuditEntry);
      return { data, nextCursor: events.length > limit ? String(data[data.length - 1]!.position) : null };
    }
    const out: AuditEntry[] = [];
    let cursor = after;
    let scanned = 0;
    for (;;) {
      const batch = await this.store.readAll({ after: cursor, limit: BATCH });
      for (const e of batch) {
        cursor = e.position;
        scanned++;
        if (matches(e, filter)) {
          out.push(toAuditEntry(e));
          if (out.length === limit) return { data: out, nextCursor: String(cursor) };
        }
      }
      if (batch.length < BATCH) return { data: out, nextCursor: null };
      if (scanned >= MAX_SCAN_PER_PAGE) return { data: out, nextCursor: String(cursor) };
    }
  }

  /** Streams every matching event without holding the range in memory (NDJSON export). */
  async *stream(after: number, filter: AuditFilter): AsyncGenerator<AuditEntry> {
    let cursor = after;
    for (;;) {
      const batch = await this.store.readAll({ after: cursor, limit: BATCH });
      for (const e of batch) {
        cursor = e.position;
        if (matches(e, filter)) yield toAuditEntry(e);
      }
      if (batch.length < BATCH) return;
    }
  }

  async streamHistory(
    streamId: string,
    asOf?: Date,
  ): Promise<{ streamId: string; events: AuditEntry[]; state?: unknown; revisionAsOf?: number }> {
    const events = await this.store.readStream(streamId);
    if (events.length === 0) throw new DomainError('not_found', 'Stream not found.', 'stream_not_found');
    const result: { streamId: string; events: AuditEntry[]; state?: unknown; revisionAsOf?: number } = {
      streamId,
      events: events.map(toAuditEntry),
    };
    if (asOf) {
      const fold = foldFor(streamId);
      if (!fold) {
        throw new DomainError(
          'invalid',
          `Streams of this category have no aggregate state; asOf applies to token-, endpoint- and delivery- streams.`,
          'no_fold',
          [{ field: 'asOf', message: 'not supported for this stream' }],
        );
      }
      const { state, revision } = await loadState(this.store, streamId, fold, asOf);
      result.state = redact(state);
      result.revisionAsOf = revision;
    }
    return result;
  }
}
