import { DomainError } from '../../../kernel/src/index.js';

export const endpointNotFound = (): DomainError =>
  new DomainError('not_found', 'Webhook endpoint not found.', 'endpoint_not_found');

export const unknownEventTypes = (types: string[]): DomainError =>
  new DomainError(
    'invalid',
    `Unknown event type(s): ${types.join(', ')}. See GET /api/v1/webhooks/event-types.`,
    'unknown_event_type',
    types.map((t) => ({ field: 'events', message: `unknown event type "${t}"` })),
  );

export const endpointAlreadyExists = (): DomainError =>
  new DomainError('conflict', 'The endpoint already exists.', 'endpoint_exists');
