import type { CommandContext } from '../../../kernel/src/index.js';

export class UpdateEndpointCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly changes: {
      url?: string;
      events?: string[];
      description?: string;
      status?: 'enabled' | 'disabled';
    },
    readonly context: CommandContext,
  ) {}
}
