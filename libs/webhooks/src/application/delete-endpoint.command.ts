import type { CommandContext } from '../../../kernel/src/index.js';

export class DeleteEndpointCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly context: CommandContext,
  ) {}
}
