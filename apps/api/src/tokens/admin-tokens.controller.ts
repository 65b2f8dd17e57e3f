import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
  TOKEN_SCOPES,
  type TokenView,
} from '../../../../libs/tokens/src/index.js';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ApiErrors } from '../http/api-errors.decorator.js';
import { adminCommandContext } from '../http/command-context.js';
import { WorkspaceIdPipe } from '../http/workspace-id.pipe.js';
import { AdminCreateTokenDto } from './dto/create-token.dto.js';
import { ListTokensQueryDto } from './dto/list-query.dto.js';
import { CreatedTokenDto, TokenDto, TokenPageDto } from './dto/token.response.js';
import { toCreatedTokenDto } from './token-created.response.js';

@ApiTags('admin')
@ApiBearerAuth('admin')
@AdminOnly()
@Controller('admin/v1/workspaces/:workspaceId/tokens')
export class AdminTokensController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a token on behalf of a user of the workspace; the plaintext is in this answer only',
  })
  @ApiCreatedResponse({ type: CreatedTokenDto })
  @ApiErrors(400, 401)
  async create(
    @Param('workspaceId', WorkspaceIdPipe) workspaceId: string,
    @Body() body: AdminCreateTokenDto,
  ): Promise<CreatedTokenDto> {
    const created = await this.commands.execute<CreateTokenCommand, CreatedToken>(
      new CreateTokenCommand(
        workspaceId,
        body.userId,
        body.name,
        body.scopes ?? [...TOKEN_SCOPES],
        body.expiresAt ? new Date(body.expiresAt) : null,
        adminCommandContext(workspaceId),
      ),
    );
    return toCreatedTokenDto(created);
  }

  @Get()
  @ApiOperation({ summary: "The workspace's tokens, newest first" })
  @ApiOkResponse({ type: TokenPageDto })
  @ApiErrors(400, 401)
  async list(
    @Param('workspaceId', WorkspaceIdPipe) workspaceId: string,
    @Query() q: ListTokensQueryDto,
  ): Promise<TokenPageDto> {
    const page = await this.queries.execute<ListTokensQuery, Page<TokenView>>(
      new ListTokensQuery(workspaceId, q.limit ?? DEFAULT_PAGE_LIMIT, q.cursor, q.includeRevoked ?? false),
    );
    return { data: page.data.map(TokenDto.from), nextCursor: page.nextCursor };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token; effective for the very next request' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404, 409)
  async revoke(
    @Param('workspaceId', WorkspaceIdPipe) workspaceId: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.commands.execute(new RevokeTokenCommand(workspaceId, id, adminCommandContext(workspaceId)));
  }
}
