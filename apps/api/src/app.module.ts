import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { PassportModule } from '@nestjs/passport';
import { AppConfigModule } from '../../../libs/config/src/index.js';
import { StorageModule } from '../../../libs/runtime/src/index.js';
import { TokensModule } from '../../../libs/tokens/src/index.js';
import { WebhooksModule } from '../../../libs/webhooks/src/index.js';
import { AuditLog } from '../../../libs/audit/src/index.js';
import { AuditController } from './audit/audit.controller.js';
import { ProjectionsController } from './projections/projections.controller.js';
import { AdminKeyVerifier } from './auth/admin-key.verifier.js';
import { AuthGuard } from './auth/auth.guard.js';
import { BearerStrategy } from './auth/bearer.strategy.js';
import { RoutePolicies } from './auth/route-policies.js';
import { HealthController } from './health/health.controller.js';
import { HttpExceptionFilter } from './http/http-exception.filter.js';
import { AdminTokensController } from './tokens/admin-tokens.controller.js';
import { MeController } from './tokens/me.controller.js';
import { TokensController } from './tokens/tokens.controller.js';
import { AdminEventsController } from './webhooks/admin-events.controller.js';
import { DeliveriesController } from './webhooks/deliveries.controller.js';
import { EndpointsController } from './webhooks/endpoints.controller.js';
import { EndpointRecoveryController } from './webhooks/endpoint-recovery.controller.js';
import { AdminRecoveryController } from './webhooks/admin-recovery.controller.js';

const controllers = [
  HealthController,
  MeController,
  TokensController,
  AdminTokensController,
  EndpointsController,
  EndpointRecoveryController,
  AdminRecoveryController,
  DeliveriesController,
  AdminEventsController,
  AuditController,
  ProjectionsController,
];
const auth = [AdminKeyVerifier, BearerStrategy, RoutePolicies, { provide: APP_GUARD, useClass: AuthGuard }];
const http = [{ provide: APP_FILTER, useClass: HttpExceptionFilter }];

export interface AppModuleOptions {
  /** An explicit environment (tests); by default the process environment and `.env`. */
  env?: Record<string, string | undefined>;
}

@Module({})
export class AppModule {
  static async forRoot(options: AppModuleOptions = {}): Promise<DynamicModule> {
    return {
      module: AppModule,
      imports: [
        await AppConfigModule.forRoot(options.env),
        StorageModule.forRoot(),
        CqrsModule.forRoot(),
        PassportModule,
        TokensModule,
        WebhooksModule,
      ],
      controllers,
      providers: [...auth, ...http, AuditLog],
    };
  }
}
