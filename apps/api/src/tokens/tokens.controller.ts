import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DEFAULT_PAGE_LIMIT, type Page } from '../../../../libs/kernel/src/index.js';
import {
  type CreatedToken,
  CreateTokenCommand,
  ListTokensQuery,
  RevokeTokenCommand,
  type TokenScope,
  type TokenView,
} from '../../../../libs/tokens/src/index.js';
import { RequireScopes } from '../auth/auth.decorators.js';
import type { TokenRequest } from '../auth/principal.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { requestCommandContext } from '../http/command-context.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import { ListTokensQueryDto } from './dto/list-query.dto.js';
import { CreatedTokenDto, TokenDto, TokenPageDto } from './dto/token.response.js';
import { toCreatedTokenDto } from './token-created.response.js';

@ApiTags('tokens')
@ApiBearerAuth('token')
@Controller('api/v1/tokens')
export class TokensController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequireScopes('tokens:read')
  @ApiOperation({ summary: "The workspace's tokens (never the plaintext), newest first" })
  @ApiOkResponse({ type: TokenPageDto })
  @ApiErrors(400, 401, 403)
  async list(@Req() { user: p }: TokenRequest, @Query() q: ListTokensQueryDto): Promise<TokenPageDto> {
    const page = await this.queries.execute<ListTokensQuery, Page<TokenView>>(
      new ListTokensQuery(p.workspaceId, q.limit ?? DEFAULT_PAGE_LIMIT, q.cursor, q.includeRevoked ?? false),
    );
    return { data: page.data.map(TokenDto.from), nextCursor: page.nextCursor };
  }

  @Post()
  @RequireScopes('tokens:write')
  @ApiOperation({
    summary: 'Create a token for the calling user; the plaintext is in this answer only',
    description: "The new token's scopes default to, and cannot exceed, the calling token's scopes.",
  })
  @ApiCreatedResponse({ type: CreatedTokenDto })
  @ApiErrors(400, 401, 403)
  async create(@Req() { user: p }: TokenRequest, @Body() body: CreateTokenDto): Promise<CreatedTokenDto> {
    const scopes: TokenScope[] = body.scopes ?? p.scopes;
    const excess = scopes.filter((s) => !p.scopes.includes(s));
    if (excess.length > 0) {
      throw new ForbiddenException(`A token cannot grant scopes its creator lacks: ${excess.join(', ')}.`);
    }
    const created = await this.commands.execute<CreateTokenCommand, CreatedToken>(
      new CreateTokenCommand(
        p.workspaceId,
        p.userId,
        body.name,
        scopes,
        body.expiresAt ? new Date(body.expiresAt) : null,
        requestCommandContext(p),
      ),
    );
    return toCreatedTokenDto(created);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a token; effective for the very next request',
    description:
      'Needs tokens:write, except for a token revoking itself. Revoking an already revoked token is 409.',
  })
  @ApiNoContentResponse()
  @ApiErrors(401, 403, 404, 409)
  async revoke(@Req() { user: p }: TokenRequest, @Param('id') id: string): Promise<void> {
    if (id !== p.tokenId && !p.scopes.includes('tokens:write')) {
      throw new ForbiddenException(
        'This token lacks the scope tokens:write required to revoke other tokens.',
      );
    }
    await this.commands.execute(new RevokeTokenCommand(p.workspaceId, id, requestCommandContext(p)));
  }
}
