import type { CommandContext } from '../../../kernel/src/index.js';

export class RotateSecretCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    /** undefined = WEBHOOK_SECRET_OVERLAP_MS; 0 = retire the old secret at once. */
    readonly previousSecretExpiresInMs: number | undefined,
    readonly context: CommandContext,
  ) {}
}
