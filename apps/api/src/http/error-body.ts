import { STATUS_CODES } from 'node:http';

/** The one error shape of the contract: `{statusCode, error, message, details?}`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown[];
}

export function errorBody(statusCode: number, message: string, details?: unknown[]): ErrorBody {
  const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (details && details.length > 0) body.details = details;
  return body;
}
