import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { type AppConfig, parseAppConfig } from './app-config.js';
import { APP_CONFIG, KEYS } from './config.tokens.js';
import { resolveKeys } from './key-material.js';

/**
 * Reads the environment and `.env` through @nestjs/config, validates it once into a typed
 * AppConfig (a bad value stops the start naming the variable) and resolves the key material.
 * Tests pass an explicit environment instead of touching process.env.
 */
@Global()
@Module({})
export class AppConfigModule {
  /**
   * Async on purpose: ConfigModule.forRoot validates inside a promise, and awaiting it here lets a
   * bad value reject the caller's start cleanly instead of surfacing as an unhandled rejection.
   */
  static async forRoot(env?: Record<string, string | undefined>): Promise<DynamicModule> {
    return {
      module: AppConfigModule,
      imports: [
        await ConfigModule.forRoot({
          ignoreEnvFile: env !== undefined,
          ignoreEnvVars: env !== undefined,
          validate: (raw) => ({ app: parseAppConfig(env ?? (raw as Record<string, string | undefined>)) }),
        }),
      ],
      providers: [
        {
          provide: APP_CONFIG,
          inject: [ConfigService],
          useFactory: (cs: ConfigService) => cs.get<AppConfig>('app'),
        },
        { provide: KEYS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => resolveKeys(config) },
      ],
      exports: [APP_CONFIG, KEYS],
    };
  }
}
