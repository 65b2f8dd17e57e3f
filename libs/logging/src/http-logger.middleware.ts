import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { requestContext } from './request-context.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * One access-log line per request plus a request id (from `X-Request-Id` if sane, else new),
 * echoed back in the response and bound to every log line written while handling it (the root
 * logger's mixin reads it from `requestContext`).
 * The URL is logged without its query string: tokens must never travel there, but if one does, it is not kept.
 *
 * Written by hand rather than with pino-http, which builds two child loggers and serialises the
 * request on every request even when its line is below LOG_LEVEL: ~10 % of a small request's CPU
 * (`bench:auth`, `bench:deliveries` profiles). Here a request that logs nothing costs a listener.
 * A request whose client went away before the answer is logged at warn, "request aborted".
 */
export function httpLoggerMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    // 'close' comes after 'finish', or alone when the client went away before the answer was sent
    // (the request may still have changed state: it gets its line too).
    res.once('close', () => {
      const aborted = !res.writableFinished;
      const level = res.statusCode >= 500 ? 'error' : aborted ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      requestContext.run({ requestId: id }, () =>
        logger[level](
          {
            req: {
              id,
              method: req.method,
              url: (req.originalUrl ?? req.url).split('?')[0],
              userAgent: req.headers['user-agent'],
            },
            res: { statusCode: res.statusCode },
            responseTime: Math.round(performance.now() - started),
          },
          aborted ? 'request aborted' : res.statusCode >= 500 ? 'request errored' : 'request completed',
        ),
      );
    });
    requestContext.run({ requestId: id }, next);
  };
}
