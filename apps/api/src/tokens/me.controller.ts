import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../http/api-errors.decorator.js';
import type { TokenRequest } from '../auth/principal.js';
import { MeDto } from './dto/token.response.js';

@ApiTags('tokens')
@ApiBearerAuth('token')
@Controller('api/v1/me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The calling token: who it acts for and what it may do' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401)
  me(@Req() { user }: TokenRequest): MeDto {
    const t = user.token;
    return {
      tokenId: t.id,
      name: t.name,
      workspaceId: t.workspaceId,
      userId: t.userId,
      scopes: t.scopes,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      lastUsedAt: t.lastUsedAt,
    };
  }
}
