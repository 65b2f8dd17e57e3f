import type { CommandContext } from '../../../kernel/src/index.js';

export class RevokeTokenCommand {
  constructor(
    readonly workspaceId: string,
    readonly tokenId: string,
    readonly context: CommandContext,
  ) {}
}
