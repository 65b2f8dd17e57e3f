/** Kinds of refusal the domain can express; the HTTP layer maps each to one status code. */
export type DomainErrorKind =
  | 'invalid' // 400
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'refused'; // 422

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly code: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
