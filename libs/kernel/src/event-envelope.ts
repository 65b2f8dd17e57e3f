/** Who caused a change: recorded in every event's metadata for the audit trail. */
export interface Actor {
  type: 'admin' | 'token' | 'system';
  /** token id for `token`, a component name for `system`; absent for `admin`. */
  id?: string;
  workspaceId?: string;
  userId?: string;
}

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  actor?: Actor;
  [key: string]: unknown;
}

/** An event about to be appended. `type` is a stable string, never a class name. */
export interface NewEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
  metadata?: EventMetadata;
  /** Schema version of `data`; defaults to the current version (1 unless an upcaster says otherwise). */
  schemaVersion?: number;
}

/** An event as read back from the store. Positions and revisions are plain numbers at the edges. */
export interface RecordedEvent<T extends string = string, D = unknown> {
  /** Global, strictly increasing position in the store ($all order). */
  position: number;
  streamId: string;
  /** 0-based revision of the event inside its stream. */
  revision: number;
  type: T;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  /** ISO-8601 UTC. */
  recordedAt: string;
}
