import type { CommandContext } from '../../../kernel/src/index.js';

export class PublishEventCommand {
  constructor(
    readonly workspaceId: string,
    readonly eventType: string,
    readonly payload: Record<string, unknown>,
    readonly idempotencyKey: string | undefined,
    readonly context: CommandContext,
  ) {}
}

export interface PublishResult {
  eventId: string;
  deliveryIds: string[];
}
