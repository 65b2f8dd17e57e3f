import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-http-bearer';
import { TokenAuthenticator } from '../../../../libs/tokens/src/index.js';
import type { Principal } from './principal.js';

const REASONS = {
  malformed: 'The token is malformed (wrong length or checksum).',
  unknown: 'The token is not valid.',
  revoked: 'The token has been revoked.',
  expired: 'The token has expired.',
} as const;

/**
 * passport-http-bearer, restricted to the Authorization header: the library also reads
 * `access_token` from the query string and body, which end up in access logs, so it only ever
 * sees the headers.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly authenticator: TokenAuthenticator) {
    super({ passReqToCallback: false });
  }

  override authenticate(req: Request, options?: object): void {
    const headersOnly = { headers: req.headers, query: {}, body: {} } as unknown as Request;
    super.authenticate(headersOnly, options);
  }

  async validate(token: string): Promise<Principal | false> {
    const result = await this.authenticator.authenticate(token);
    if (!result.ok) {
      // passport's `info` carries the reason back to the guard.
      throw Object.assign(new Error(REASONS[result.reason]), { authReason: result.reason });
    }
    const t = result.token;
    return {
      kind: 'token',
      tokenId: t.id,
      workspaceId: t.workspaceId,
      userId: t.userId,
      scopes: t.scopes,
      token: t,
    };
  }
}
