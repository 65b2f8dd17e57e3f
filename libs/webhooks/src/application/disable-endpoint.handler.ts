import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, DomainError, metadataOf } from '../../../kernel/src/index.js';
import { decideAndAppend, EVENT_STORE, type EventStore } from '../../../event-store/src/index.js';
import { endpointDecider } from '../domain/endpoint.decider.js';
import { DisableEndpointCommand } from './disable-endpoint.command.js';
import { endpointStream } from './endpoint-stream.js';

@CommandHandler(DisableEndpointCommand)
export class DisableEndpointHandler implements ICommandHandler<DisableEndpointCommand, void> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: DisableEndpointCommand): Promise<void> {
    try {
      await decideAndAppend(
        this.store,
        endpointStream(c.endpointId),
        endpointDecider,
        { type: 'DisableEndpoint', workspaceId: c.workspaceId, reason: c.reason, now: this.clock.now() },
        metadataOf(c.context),
      );
    } catch (error) {
      // Deleted meanwhile: nothing left to disable.
      if (error instanceof DomainError && error.kind === 'not_found') return;
      throw error;
    }
  }
}
