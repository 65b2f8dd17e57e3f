import type { RecordedEvent } from '../../kernel/src/index.js';

export interface AuditFilter {
  type?: string;
  streamId?: string;
  workspaceId?: string;
  from?: Date;
  to?: Date;
}

/** The workspace of an event: in its data (every aggregate records it) or in the actor metadata. */
export function workspaceOf(event: RecordedEvent): string | undefined {
  const data = event.data as { workspaceId?: unknown };
  if (typeof data?.workspaceId === 'string') return data.workspaceId;
  return event.metadata.actor?.workspaceId;
}

export function matches(event: RecordedEvent, f: AuditFilter): boolean {
  if (f.type && event.type !== f.type) return false;
  if (f.streamId && event.streamId !== f.streamId) return false;
  if (f.workspaceId && workspaceOf(event) !== f.workspaceId) return false;
  if (f.from || f.to) {
    const at = new Date(event.recordedAt);
    if (f.from && at < f.from) return false;
    if (f.to && at > f.to) return false;
  }
  return true;
}
