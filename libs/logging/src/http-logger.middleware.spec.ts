import type { NextFunction, Request, Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { httpLoggerMiddleware } from './http-logger.middleware.js';
import { createRootLogger } from './pino-logger.js';

type Line = Record<string, unknown> & { msg?: string; level?: string; requestId?: string };

/** A server whose handler logs one line of its own and answers with the status in `?status=`. */
async function serve(level: string) {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  const logger = createRootLogger(level, sink);
  const middleware = httpLoggerMiddleware(logger);
  const server = http.createServer((req, res) => {
    const next: NextFunction = () => {
      logger.warn('inside the handler');
      const query = new URL(req.url!, 'http://x').searchParams;
      res.statusCode = Number(query.get('status') ?? 200);
      setTimeout(() => res.end('ok'), Number(query.get('delay') ?? 0));
    };
    middleware(req as unknown as Request, res as unknown as Response, next);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string, headers: Record<string, string> = {}, abortAfterMs?: number) => {
    if (abortAfterMs !== undefined) {
      await fetch(base + path, { headers, signal: AbortSignal.timeout(abortAfterMs) }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      return undefined;
    }
    const res = await fetch(base + path, { headers });
    await res.text();
    await new Promise((r) => setTimeout(r, 20)); // the access line is written on 'finish'
    return res;
  };
  return { lines, get, close: () => new Promise((r) => server.close(r)) };
}

describe('httpLoggerMiddleware', () => {
  it('echoes a sane X-Request-Id, puts it on every line of the request, and logs the path without its query', async () => {
    const s = await serve('info');
    try {
      const res = (await s.get('/api/v1/me?access_token=wm_secret', { 'x-request-id': 'req-abc_123' }))!;
      expect(res.headers.get('x-request-id')).toBe('req-abc_123');
      expect(s.lines.map((l) => [l.msg, l.requestId])).toEqual([
        ['inside the handler', 'req-abc_123'],
        ['request completed', 'req-abc_123'],
      ]);
      const access = s.lines[1]!;
      expect(access).toMatchObject({
        level: 'info',
        req: { id: 'req-abc_123', method: 'GET', url: '/api/v1/me' },
        res: { statusCode: 200 },
      });
      expect(typeof access.responseTime).toBe('number');
      expect(JSON.stringify(s.lines)).not.toContain('wm_secret');
    } finally {
      await s.close();
    }
  });

  it('replaces an unsafe X-Request-Id with a generated one', async () => {
    const s = await serve('info');
    try {
      const res = (await s.get('/health', { 'x-request-id': 'bad id with spaces' }))!;
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(s.lines.every((l) => l.requestId === id)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('at LOG_LEVEL=warn writes no access line for a success but an error line for a 5xx', async () => {
    const s = await serve('warn');
    try {
      await s.get('/health');
      expect(s.lines.map((l) => l.msg)).toEqual(['inside the handler']);
      const res = (await s.get('/boom?status=503'))!;
      const id = res.headers.get('x-request-id');
      expect(s.lines.slice(1)).toEqual([
        expect.objectContaining({ msg: 'inside the handler', requestId: id }),
        expect.objectContaining({
          msg: 'request errored',
          level: 'error',
          requestId: id,
          res: { statusCode: 503 },
        }),
      ]);
    } finally {
      await s.close();
    }
  });

  it('logs a request the client abandoned before its answer as aborted, at warn, with its id', async () => {
    const s = await serve('warn');
    try {
      await s.get('/api/v1/events?delay=300', { 'x-request-id': 'gone-1' }, 50);
      expect(s.lines).toEqual([
        expect.objectContaining({ msg: 'inside the handler', requestId: 'gone-1' }),
        expect.objectContaining({ msg: 'request aborted', level: 'warn', requestId: 'gone-1' }),
      ]);
    } finally {
      await s.close();
    }
  });
});
