import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, type DomainErrorKind } from '../../../../libs/kernel/src/index.js';
import { scrubSecrets } from '../../../../libs/logging/src/index.js';
import { AuthenticationError } from '../auth/authentication.error.js';
import { errorBody } from './error-body.js';

const STATUS_OF: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  refused: 422,
};

/** Every error leaves in the contract's shape; unexpected ones are logged (scrubbed) and become a bare 500. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof DomainError) {
      res
        .status(STATUS_OF[exception.kind])
        .json(errorBody(STATUS_OF[exception.kind], exception.message, exception.details));
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (exception instanceof AuthenticationError)
        res.setHeader('WWW-Authenticate', exception.wwwAuthenticate);
      const response = exception.getResponse();
      let message = exception.message;
      let details: unknown[] | undefined;
      if (typeof response === 'object' && response !== null) {
        const r = response as { message?: unknown; details?: unknown[] };
        if (typeof r.message === 'string') message = r.message;
        else if (Array.isArray(r.message)) message = r.message.join('; ');
        details = r.details;
      }
      if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(message))
        message = 'Route not found.';
      res.status(status).json(errorBody(status, message, details));
      return;
    }
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(scrubSecrets(error.message), scrubSecrets(error.stack ?? ''), 'HttpExceptionFilter');
    res.status(500).json(errorBody(500, 'An unexpected error occurred; it has been logged.'));
  }
}
