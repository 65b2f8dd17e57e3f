import { type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { TokenScope } from '../../../../libs/tokens/src/index.js';
import { AdminKeyVerifier } from './admin-key.verifier.js';
import { ADMIN_ROUTE, PUBLIC_ROUTE, REQUIRED_SCOPES } from './auth.decorators.js';
import { AuthenticationError } from './authentication.error.js';
import type { Principal } from './principal.js';

/**
 * Global guard: every route needs a credential unless marked @Public(). Admin routes take the
 * admin key only; all others an API token (via passport-http-bearer) with the route's scopes.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard('bearer') {
  constructor(
    private readonly reflector: Reflector,
    private readonly adminKey: AdminKeyVerifier,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const header = req.headers.authorization;
    if (header === undefined || header === '') {
      throw new AuthenticationError(
        'missing',
        'Authentication required: send Authorization: Bearer <token>.',
      );
    }
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header);
    if (!match) {
      throw new AuthenticationError('invalid_request', 'The Authorization header must be "Bearer <token>".');
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ROUTE, targets)) {
      if (!this.adminKey.verify(match[1]!))
        throw new AuthenticationError('invalid_token', 'The admin API key is not valid.');
      req.user = { kind: 'admin' };
      return true;
    }
    await super.canActivate(context);
    const principal = req.user;
    const required = this.reflector.getAllAndOverride<TokenScope[]>(REQUIRED_SCOPES, targets) ?? [];
    if (principal?.kind === 'token') {
      const missing = required.filter((s) => !principal.scopes.includes(s));
      if (missing.length > 0) {
        throw new ForbiddenException(
          `This token lacks the scope ${missing.join(', ')} required for this operation.`,
        );
      }
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err && !(err instanceof Error && 'authReason' in err)) throw err;
    if (err || !user) {
      const message = err instanceof Error && 'authReason' in err ? err.message : 'The token is not valid.';
      throw new AuthenticationError('invalid_token', message);
    }
    return user;
  }
}
