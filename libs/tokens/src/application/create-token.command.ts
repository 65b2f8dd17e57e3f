import type { CommandContext } from '../../../kernel/src/index.js';
import type { TokenScope } from '../domain/token-scopes.js';

export class CreateTokenCommand {
  constructor(
    readonly workspaceId: string,
    readonly userId: string,
    readonly name: string,
    readonly scopes: TokenScope[],
    readonly expiresAt: Date | null,
    readonly context: CommandContext,
  ) {}
}
