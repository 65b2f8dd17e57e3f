import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { errorBody } from './error-body.js';

/**
 * JSON body parsing with the size limit, plus an error handler so that a broken or oversized body
 * gets the contract's 400/413 shape (these errors happen before Nest's routing and filters).
 */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of raw JSON, strings skipped; a body nested thousands deep would overflow the validators' recursion. */
export function jsonDepth(raw: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

export function jsonBodyParser(limitBytes: number): [RequestHandler, ErrorRequestHandler] {
  const parse = express.json({
    limit: limitBytes,
    strict: true,
    type: ['application/json', 'application/*+json'],
    verify: (_req, _res, buf) => {
      if (jsonDepth(buf) > MAX_JSON_DEPTH)
        throw Object.assign(new Error('too deep'), { type: 'entity.too.deep', status: 400 });
    },
  });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
    if (err.type === 'entity.too.large' || err.status === 413) {
      res.status(413).json(errorBody(413, `The request body is larger than ${limitBytes} bytes.`));
    } else if (err.type === 'entity.too.deep') {
      res
        .status(400)
        .json(
          errorBody(400, `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`, [
            { field: 'body', message: 'too deeply nested' },
          ]),
        );
    } else if (err.type === 'entity.parse.failed') {
      res
        .status(400)
        .json(
          errorBody(400, 'The request body is not valid JSON.', [{ field: 'body', message: 'invalid JSON' }]),
        );
    } else if (err.status && err.status >= 400 && err.status < 500) {
      res.status(err.status).json(errorBody(err.status, 'The request body could not be read.'));
    } else {
      next(err);
    }
  };
  return [parse, onError];
}
