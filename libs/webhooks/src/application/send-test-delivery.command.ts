import type { CommandContext } from '../../../kernel/src/index.js';

export class SendTestDeliveryCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly eventType: string | undefined,
    readonly context: CommandContext,
  ) {}
}
