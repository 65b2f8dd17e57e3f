import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { errorBody } from './error-body.js';

/**
 * JSON body parsing with the size limit, plus an error handler so that a broken or oversized body
 * gets the contract's 400/413 shape (these errors happen before Nest's routing and filters).
 */
export function jsonBodyParser(limitBytes: number): [RequestHandler, ErrorRequestHandler] {
  const parse = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
    if (err.type === 'entity.too.large' || err.status === 413) {
      res.status(413).json(errorBody(413, `The request body is larger than ${limitBytes} bytes.`));
    } else if (err.type === 'entity.parse.failed') {
      res.status(400).json(errorBody(400, 'The request body is not valid JSON.', [{ field: 'body', message: 'invalid JSON' }]));
    } else if (err.status && err.status >= 400 && err.status < 500) {
      res.status(err.status).json(errorBody(err.status, 'The request body could not be read.'));
    } else {
      next(err);
    }
  };
  return [parse, onError];
}
