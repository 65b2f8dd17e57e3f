import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { APP_CONFIG, type AppConfig, describeStartupError } from '../../../libs/config/src/index.js';
import { createRootLogger, PinoNestLogger } from '../../../libs/logging/src/index.js';
import { WorkerModule } from './worker.module.js';

/** `node dist/apps/worker/src/main.js`: a worker-only process (production runs several beside the API). */
async function main(): Promise<void> {
  process.env.ROLES = 'worker';
  const logger = createRootLogger(process.env.LOG_LEVEL ?? 'info');
  const app = await NestFactory.createApplicationContext(await WorkerModule.forRoot(), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await app.init();
  const config = app.get<AppConfig>(APP_CONFIG);
  logger.info(
    {
      dataDir: config.dataDir,
      eventStore: config.eventstoreUrl ? 'eventstoredb' : 'sqlite',
      readStore: config.mongoUrl ? 'mongodb' : 'sqlite',
    },
    'worker started',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${describeStartupError(error)}\n`);
  process.exit(1);
});
