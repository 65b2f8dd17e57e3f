import type { CommandContext } from '../../../kernel/src/index.js';

export class RegisterEndpointCommand {
  constructor(
    readonly workspaceId: string,
    readonly url: string,
    readonly events: string[],
    readonly description: string,
    readonly context: CommandContext,
  ) {}
}
