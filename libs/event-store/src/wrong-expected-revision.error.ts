import { DomainError } from '../../kernel/src/index.js';
import type { ExpectedRevision } from './event-store.port.js';

/** A stale expected revision: someone else appended first. Surfaces as HTTP 409. */
export class WrongExpectedRevisionError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(
      'conflict',
      `The resource was modified concurrently (expected revision ${String(expected)}, found ${String(actual)}); reload and try again.`,
      'concurrent_modification',
    );
  }
}
