import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AdminKeyVerifier } from './admin-key.verifier.js';
import { AuthenticationError } from './authentication.error.js';
import { BearerStrategy } from './bearer.strategy.js';
import type { Principal } from './principal.js';
import { RoutePolicies } from './route-policies.js';

/** The callbacks passport attaches to a strategy for one request. */
interface StrategyRun {
  success(user: Principal): void;
  fail(challenge?: unknown, status?: number): void;
  error(error: unknown): void;
  authenticate(req: Request, options?: object): void;
}

const BEARER = /^Bearer ([\x21-\x7e]+)$/i;

/**
 * Global guard: every route needs a credential unless marked @Public(). Admin routes take the
 * admin key only; all others an API token with the route's scopes.
 *
 * The token goes through the passport-http-bearer strategy (BearerStrategy), but the guard runs
 * it the way passport itself does — a per-request `Object.create(strategy)` with success/fail/error
 * attached — without passport.authenticate's request decoration and callback layers, which
 * `bench:auth` measured at about half of the whole authentication cost (see BENCHMARKS.md).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly policies: RoutePolicies,
    private readonly adminKey: AdminKeyVerifier,
    private readonly bearer: BearerStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.policies.of(context);
    if (policy.isPublic) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const header = req.headers.authorization;
    if (header === undefined || header === '') {
      throw new AuthenticationError(
        'missing',
        'Authentication required: send Authorization: Bearer <token>.',
      );
    }
    const match = BEARER.exec(header);
    if (!match) {
      throw new AuthenticationError('invalid_request', 'The Authorization header must be "Bearer <token>".');
    }
    if (policy.adminOnly) {
      if (!this.adminKey.verify(match[1]!))
        throw new AuthenticationError('invalid_token', 'The admin API key is not valid.');
      req.user = { kind: 'admin' };
      return true;
    }
    const principal = await this.authenticateToken(req);
    req.user = principal;
    if (principal.kind === 'token') {
      const missing = policy.scopes.filter((s) => !principal.scopes.includes(s));
      if (missing.length > 0) {
        throw new ForbiddenException(
          `This token lacks the scope ${missing.join(', ')} required for this operation.`,
        );
      }
    }
    return true;
  }

  private authenticateToken(req: Request): Promise<Principal> {
    return new Promise<Principal>((resolve, reject) => {
      const run = Object.create(this.bearer) as StrategyRun;
      run.success = (user) =>
        user ? resolve(user) : reject(new AuthenticationError('invalid_token', 'The token is not valid.'));
      run.fail = () => reject(new AuthenticationError('invalid_token', 'The token is not valid.'));
      run.error = (error) =>
        reject(
          error instanceof Error && 'authReason' in error
            ? new AuthenticationError('invalid_token', error.message)
            : error,
        );
      run.authenticate(req, { session: false });
    });
  }
}
