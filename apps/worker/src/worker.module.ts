import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppConfigModule } from '../../../libs/config/src/index.js';
import { StorageModule } from '../../../libs/runtime/src/index.js';
import { WebhooksModule } from '../../../libs/webhooks/src/index.js';

/** The worker deployable: projections, the delivery saga and the dispatcher, no HTTP. */
@Module({})
export class WorkerModule {
  static async forRoot(env?: Record<string, string | undefined>): Promise<DynamicModule> {
    return {
      module: WorkerModule,
      imports: [
        await AppConfigModule.forRoot(env),
        StorageModule.forRoot(),
        CqrsModule.forRoot(),
        WebhooksModule,
      ],
    };
  }
}
