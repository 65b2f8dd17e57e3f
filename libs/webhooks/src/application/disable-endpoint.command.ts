import type { CommandContext } from '../../../kernel/src/index.js';

/** Issued by the delivery saga when a subscriber answers 410 Gone. */
export class DisableEndpointCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly reason: 'manual' | 'gone',
    readonly context: CommandContext,
  ) {}
}
