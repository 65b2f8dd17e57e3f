import type { RecordedEvent } from '../../kernel/src/index.js';

/**
 * A read model builder. `apply` must be idempotent: every read model row remembers the stream
 * revision it last applied, so an event seen twice (replay, crash before the checkpoint) changes nothing.
 */
export interface Projection {
  readonly name: string;
  /** Event types this projection reacts to; others only advance its checkpoint. */
  readonly handles: ReadonlySet<string>;
  apply(event: RecordedEvent): Promise<void>;
}
