import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '../../../../libs/kernel/src/index.js';

const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Workspace ids are the platform's own; we only insist they are safe to store and echo. */
@Injectable()
export class WorkspaceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!WORKSPACE_ID.test(value)) {
      throw new DomainError(
        'invalid',
        'workspaceId must be 1–100 characters of A–Z, a–z, 0–9, _ or -.',
        'invalid_workspace',
        [{ field: 'workspaceId', message: 'invalid format' }],
      );
    }
    return value;
  }
}
