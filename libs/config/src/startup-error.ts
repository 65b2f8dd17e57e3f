import { ConfigError } from './app-config.js';

/** What a failed start prints: a configuration error as its one-line message, anything else with its stack. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
