import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid body or query; `details` names the fields.',
  401: 'Missing, invalid, expired or revoked credential (see the WWW-Authenticate header).',
  403: 'The token lacks a required scope.',
  404: 'Not found, or it belongs to another workspace.',
  409: 'Concurrent modification or conflicting state.',
  413: 'Body too large.',
  422: 'A well-formed value that is refused (e.g. a private-network webhook URL).',
};

/** Documents the error answers a route can give, all in the contract's error shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto }),
    ),
  );
