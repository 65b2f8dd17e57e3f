import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, DomainError, newId } from '../../../kernel/src/index.js';
import { EVENT_STORE, type EventStore } from '../../../event-store/src/index.js';
import { subscribesTo } from '../domain/event-catalogue.js';
import { endpointNotFound } from '../domain/endpoint.errors.js';
import type { EventPublished } from '../domain/published-event.events.js';
import {
  DELIVERY_READ_REPOSITORY,
  type DeliveryReadRepository,
} from '../read-models/delivery-read.repository.js';
import {
  ENDPOINT_READ_REPOSITORY,
  type EndpointReadRepository,
} from '../read-models/endpoint-read.repository.js';
import { RequestDeliveryCommand } from './delivery-commands.js';
import { RecoverEndpointCommand, type RecoverResult } from './recover-endpoint.command.js';

/** Recovered deliveries are spaced this far apart so a large recovery does not flood the subscriber. */
export const RECOVERY_SPACING_MS = 50;
const BATCH = 1000;

/**
 * Re-sends what an endpoint missed, computed from the history: every published (non-test) event of
 * the workspace in the window that the endpoint subscribes to now, minus the events it already
 * received successfully. Each becomes a new delivery of the original event id, marked `recovered`.
 */
@CommandHandler(RecoverEndpointCommand)
export class RecoverEndpointHandler implements ICommandHandler<RecoverEndpointCommand, RecoverResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ENDPOINT_READ_REPOSITORY) private readonly endpoints: EndpointReadRepository,
    @Inject(DELIVERY_READ_REPOSITORY) private readonly deliveries: DeliveryReadRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly commands: CommandBus,
  ) {}

  async execute(c: RecoverEndpointCommand): Promise<RecoverResult> {
    const endpoint = await this.endpoints.findById(c.workspaceId, c.endpointId);
    if (!endpoint) throw endpointNotFound();
    const now = this.clock.now();
    const until = c.until ?? now;
    if (c.since > until) {
      throw new DomainError('invalid', 'since must not be after until.', 'invalid_window', [
        { field: 'since', message: 'after until' },
      ]);
    }
    if (!c.dryRun && endpoint.status !== 'enabled') {
      throw new DomainError(
        'conflict',
        'The endpoint is disabled; enable it before recovering (dryRun works either way).',
        'endpoint_disabled',
      );
    }
    const missed = await this.missedEvents(
      c.workspaceId,
      endpoint.events,
      c.since,
      until,
      endpoint.endpointId,
    );
    if (c.dryRun) return { count: missed.length, deliveryIds: [] };
    const deliveryIds: string[] = [];
    for (const [i, e] of missed.entries()) {
      const deliveryId = newId('dlv');
      await this.commands.execute(
        new RequestDeliveryCommand(
          deliveryId,
          endpoint.endpointId,
          c.workspaceId,
          e.eventId,
          e.eventType,
          false,
          true,
          c.context,
          new Date(now.getTime() + i * RECOVERY_SPACING_MS),
        ),
      );
      deliveryIds.push(deliveryId);
    }
    return { count: deliveryIds.length, deliveryIds };
  }

  private async missedEvents(
    workspaceId: string,
    subscribed: string[],
    since: Date,
    until: Date,
    endpointId: string,
  ) {
    const candidates: EventPublished['data'][] = [];
    let after = 0;
    for (;;) {
      const batch = await this.store.readAll({ after, limit: BATCH });
      for (const recorded of batch) {
        after = recorded.position;
        if (recorded.type !== 'EventPublished') continue;
        const e = (recorded as unknown as EventPublished).data;
        const at = new Date(e.createdAt);
        if (
          e.workspaceId === workspaceId &&
          !e.test &&
          at >= since &&
          at <= until &&
          subscribesTo(subscribed, e.eventType)
        ) {
          candidates.push(e);
        }
      }
      if (batch.length < BATCH) break;
    }
    const received = new Set<string>();
    for (let i = 0; i < candidates.length; i += 500) {
      const ids = candidates.slice(i, i + 500).map((e) => e.eventId);
      for (const id of await this.deliveries.succeededEventIds(endpointId, ids)) received.add(id);
    }
    return candidates.filter((e) => !received.has(e.eventId));
  }
}
