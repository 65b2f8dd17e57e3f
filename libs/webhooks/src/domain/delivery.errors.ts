import { DomainError } from '../../../kernel/src/index.js';

export const deliveryNotFound = (): DomainError =>
  new DomainError('not_found', 'Delivery not found.', 'delivery_not_found');

export const deliveryCancelled = (): DomainError =>
  new DomainError(
    'conflict',
    'The delivery was cancelled (its endpoint is disabled or deleted) and cannot be retried.',
    'delivery_cancelled',
  );
