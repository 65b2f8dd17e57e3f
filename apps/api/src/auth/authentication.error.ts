import { HttpException, HttpStatus } from '@nestjs/common';

const REALM = 'Bearer realm="whatsmine"';

/**
 * 401/400 with RFC 6750's `WWW-Authenticate`: a bare challenge when no credential was sent,
 * `error="invalid_token"` when one was sent but is bad, `invalid_request` for a malformed header.
 */
export class AuthenticationError extends HttpException {
  readonly wwwAuthenticate: string;

  constructor(kind: 'missing' | 'invalid_token' | 'invalid_request', message: string) {
    super(message, kind === 'invalid_request' ? HttpStatus.BAD_REQUEST : HttpStatus.UNAUTHORIZED);
    this.wwwAuthenticate =
      kind === 'missing'
        ? REALM
        : `${REALM}, error="${kind}", error_description="${message.replace(/"/g, "'")}"`;
  }
}
