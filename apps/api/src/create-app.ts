import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig, KEYS, type ResolvedKeys } from '../../../libs/config/src/index.js';
import { createRootLogger, httpLoggerMiddleware, PinoNestLogger } from '../../../libs/logging/src/index.js';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { jsonBodyParser } from './http/body-parser.js';
import { setupSwagger } from './http/swagger.js';
import { createValidationPipe } from './http/validation.pipe.js';

export const VERSION = '0.1.0';

export interface CreatedApp {
  app: INestApplication;
  config: AppConfig;
  keys: ResolvedKeys;
  logger: Logger;
}

/** Builds the whole service (HTTP API and, by config, the worker roles) without listening yet. */
export async function createApp(
  options: AppModuleOptions & { logDestination?: NodeJS.WritableStream } = {},
): Promise<CreatedApp> {
  const level = options.env?.LOG_LEVEL ?? process.env.LOG_LEVEL ?? (options.env ? 'warn' : 'info');
  const logger = createRootLogger(level, options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(await AppModule.forRoot(options), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  const keys = app.get<ResolvedKeys>(KEYS);
  app.disable('x-powered-by');
  // API answers are not cached by clients; hashing every JSON body for an ETag is wasted work.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(httpLoggerMiddleware(logger));
  // Room for the largest publishable event plus its envelope; MAX_EVENT_PAYLOAD_BYTES itself is checked per route.
  app.use(...jsonBodyParser(config.maxEventPayloadBytes + 16 * 1024));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setupSwagger(app, VERSION);
  await app.init();
  return { app, config, keys, logger };
}
