import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditLog, type AuditPage } from '../../../../libs/audit/src/index.js';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { AuditEventsQueryDto, AuditStreamQueryDto } from './audit-query.dto.js';

const ENTRY_EXAMPLE = {
  position: 42,
  streamId: 'endpoint-ep_01jf3k9v6x8q2m4n5p7r9s0t1u',
  revision: 1,
  type: 'SecretRotated',
  schemaVersion: 1,
  data: {
    endpointId: 'ep_01jf3k9v6x8q2m4n5p7r9s0t1u',
    workspaceId: 'ws_1',
    secret: '[redacted]',
    previousSecretExpiresAt: '2026-12-04T10:00:00.000Z',
  },
  metadata: {
    actor: { type: 'token', id: 'tok_01jf…', workspaceId: 'ws_1', userId: 'user_42' },
    correlationId: '9b2c…',
  },
  recordedAt: '2026-12-03T10:00:00.000Z',
};

@ApiTags('audit')
@ApiBearerAuth('admin')
@AdminOnly()
@Controller('admin/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get('events')
  @ApiOperation({
    summary: 'The event history in store order, oldest first; secrets and token hashes redacted',
    description:
      'Every event with its stream, revision, position, time, data and metadata (actor, correlation and causation ids). Page with ?after=<nextCursor>. A page may hold fewer than `limit` events when filters match rarely; keep following nextCursor until it is null. `?format=ndjson` streams the whole matching range instead.',
  })
  @ApiOkResponse({ schema: { example: { data: [ENTRY_EXAMPLE], nextCursor: '42' } } })
  @ApiErrors(400, 401)
  async events(
    @Query() q: AuditEventsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditPage | void> {
    const filter = {
      type: q.type,
      streamId: q.streamId,
      workspaceId: q.workspaceId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    };
    if (q.format === 'ndjson') {
      res.status(200).type('application/x-ndjson');
      for await (const entry of this.audit.stream(q.after ?? 0, filter)) {
        // Respect back-pressure: a slow client must not make the whole range pile up in memory.
        if (!res.write(JSON.stringify(entry) + '\n')) await new Promise((r) => res.once('drain', r));
      }
      res.end();
      return;
    }
    return this.audit.page(q.after ?? 0, q.limit ?? 50, filter);
  }

  @Get('streams/:streamId')
  @ApiOperation({
    summary: "One aggregate's events; with ?asOf= also its state at that instant",
    description:
      'The state is folded with the same code the command side uses. Secrets and hashes are redacted.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        streamId: ENTRY_EXAMPLE.streamId,
        events: [ENTRY_EXAMPLE],
        state: { status: 'enabled' },
        revisionAsOf: 1,
      },
    },
  })
  @ApiErrors(400, 401, 404)
  stream(@Param('streamId') streamId: string, @Query() q: AuditStreamQueryDto) {
    return this.audit.streamHistory(streamId, q.asOf ? new Date(q.asOf) : undefined);
  }
}
