import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requestContext } from './request-context.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * One access-log line per request plus a request id (from `X-Request-Id` if sane, else new),
 * echoed back in the response and bound to every log line written while handling it.
 * The URL is logged without its query string: tokens must never travel there, but if one does, it is not kept.
 */
export function httpLoggerMiddleware(logger: Logger) {
  const http = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
        userAgent: req.headers['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    quietReqLogger: true,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    http(req, res);
    requestContext.run({ requestId: String((req as unknown as { id: string }).id) }, next);
  };
}
