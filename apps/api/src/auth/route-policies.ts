import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { TokenScope } from '../../../../libs/tokens/src/index.js';
import { ADMIN_ROUTE, PUBLIC_ROUTE, REQUIRED_SCOPES } from './auth.decorators.js';

/** What a route asks of the caller, from its @Public / @AdminOnly / @RequireScopes metadata. */
export interface RoutePolicy {
  isPublic: boolean;
  adminOnly: boolean;
  scopes: readonly TokenScope[];
}

/**
 * Route metadata is fixed once the app is built, so each route's policy is read through the
 * Reflector once and kept, per controller class and handler, instead of three lookups per request.
 */
@Injectable()
export class RoutePolicies {
  private readonly cache = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): RoutePolicy {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.cache.get(controller);
    if (!byHandler) this.cache.set(controller, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) {
      const targets = [handler, controller];
      policy = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
        adminOnly: this.reflector.getAllAndOverride<boolean>(ADMIN_ROUTE, targets) ?? false,
        scopes: this.reflector.getAllAndOverride<TokenScope[]>(REQUIRED_SCOPES, targets) ?? [],
      };
      byHandler.set(handler, policy);
    }
    return policy;
  }
}
