import type { CommandContext } from '../../../kernel/src/index.js';

export class RecoverEndpointCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly since: Date,
    readonly until: Date | undefined,
    readonly dryRun: boolean,
    readonly context: CommandContext,
  ) {}
}

export interface RecoverResult {
  count: number;
  deliveryIds: string[];
}
