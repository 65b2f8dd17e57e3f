import { ApiProperty } from '@nestjs/swagger';
import { TOKEN_SCOPES, type TokenScope, type TokenView } from '../../../../../libs/tokens/src/index.js';

export class TokenDto {
  @ApiProperty({ example: 'tok_01jf3k9v6x8q2m4n5p7r9s0t1u' })
  id!: string;
  @ApiProperty({ example: 'Zapier integration' })
  name!: string;
  @ApiProperty({ example: 'wm_AbCd', description: 'First characters of the token, to tell tokens apart.' })
  prefix!: string;
  @ApiProperty({ enum: TOKEN_SCOPES, isArray: true })
  scopes!: TokenScope[];
  @ApiProperty({ example: 'ws_1' })
  workspaceId!: string;
  @ApiProperty({ example: 'user_42' })
  userId!: string;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt!: string | null;

  static from(v: TokenView): TokenDto {
    return Object.assign(new TokenDto(), {
      id: v.id,
      name: v.name,
      prefix: v.prefix,
      scopes: v.scopes,
      workspaceId: v.workspaceId,
      userId: v.userId,
      createdAt: v.createdAt,
      expiresAt: v.expiresAt,
      lastUsedAt: v.lastUsedAt,
      revokedAt: v.revokedAt,
    });
  }
}

export class CreatedTokenDto {
  @ApiProperty({ example: 'tok_01jf3k9v6x8q2m4n5p7r9s0t1u' })
  id!: string;
  @ApiProperty({ example: 'Zapier integration' })
  name!: string;
  @ApiProperty({
    example: 'wm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
    description: 'The plaintext token. Shown exactly once: store it now.',
  })
  token!: string;
  @ApiProperty({ example: 'wm_AbCd' })
  prefix!: string;
  @ApiProperty({ enum: TOKEN_SCOPES, isArray: true })
  scopes!: TokenScope[];
  @ApiProperty({ example: 'ws_1' })
  workspaceId!: string;
  @ApiProperty({ example: 'user_42' })
  userId!: string;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;
}

export class TokenPageDto {
  @ApiProperty({ type: [TokenDto] })
  data!: TokenDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}

export class MeDto {
  @ApiProperty({ example: 'tok_01jf3k9v6x8q2m4n5p7r9s0t1u' })
  tokenId!: string;
  @ApiProperty({ example: 'Zapier integration' })
  name!: string;
  @ApiProperty({ example: 'ws_1' })
  workspaceId!: string;
  @ApiProperty({ example: 'user_42' })
  userId!: string;
  @ApiProperty({ enum: TOKEN_SCOPES, isArray: true })
  scopes!: TokenScope[];
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Refreshed at most once a minute.',
  })
  lastUsedAt!: string | null;
}
