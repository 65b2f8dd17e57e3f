import { DomainError } from '../../../kernel/src/index.js';

export const tokenNotFound = (): DomainError =>
  new DomainError('not_found', 'Token not found.', 'token_not_found');

export const tokenAlreadyExists = (): DomainError =>
  new DomainError('conflict', 'A token with this id already exists.', 'token_exists');

export const tokenAlreadyRevoked = (): DomainError =>
  new DomainError('conflict', 'The token is already revoked.', 'token_already_revoked');

export const expiryInThePast = (): DomainError =>
  new DomainError('invalid', 'expiresAt must be in the future.', 'expires_at_in_past', [
    { field: 'expiresAt', message: 'must be in the future' },
  ]);
