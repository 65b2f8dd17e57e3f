export * from './request-context.js';
export * from './redaction.js';
export * from './pino-logger.js';
export * from './http-logger.middleware.js';
