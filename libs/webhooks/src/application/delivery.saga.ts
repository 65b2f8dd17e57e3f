import type { RecordedEvent } from '../../../kernel/src/index.js';
import type { CommandContext } from '../../../kernel/src/index.js';
import type { DeliveryFailed } from '../domain/delivery.events.js';
import type { EndpointDeleted, EndpointDisabled } from '../domain/endpoint.events.js';
import type { EventPublished } from '../domain/published-event.events.js';
import { CancelEndpointDeliveriesCommand, RequestDeliveryCommand } from './delivery-commands.js';
import { DisableEndpointCommand } from './disable-endpoint.command.js';

export const DELIVERY_SAGA_EVENT_TYPES: ReadonlySet<string> = new Set([
  'EventPublished',
  'DeliveryFailed',
  'EndpointDisabled',
  'EndpointDeleted',
]);

/**
 * The delivery saga as a pure mapping from one stored event to the commands it causes. The
 * commands are idempotent, so the runner can replay from its checkpoint after a crash safely.
 */
export function deliverySaga(recorded: RecordedEvent): object[] {
  const ctx: CommandContext = {
    actor: { type: 'system', id: 'delivery-saga' },
    correlationId: recorded.metadata.correlationId,
    causationId: `${recorded.streamId}@${recorded.revision}`,
  };
  switch (recorded.type) {
    case 'EventPublished': {
      const e = (recorded as unknown as EventPublished).data;
      return e.deliveries.map(
        (d) =>
          new RequestDeliveryCommand(
            d.deliveryId,
            d.endpointId,
            e.workspaceId,
            e.eventId,
            e.eventType,
            e.test,
            false,
            ctx,
          ),
      );
    }
    case 'DeliveryFailed': {
      const e = (recorded as unknown as DeliveryFailed).data;
      return e.reason === 'gone'
        ? [new DisableEndpointCommand(e.workspaceId, e.endpointId, 'gone', ctx)]
        : [];
    }
    case 'EndpointDisabled':
      return [
        new CancelEndpointDeliveriesCommand(
          (recorded as unknown as EndpointDisabled).data.endpointId,
          'endpoint disabled',
          ctx,
        ),
      ];
    case 'EndpointDeleted':
      return [
        new CancelEndpointDeliveriesCommand(
          (recorded as unknown as EndpointDeleted).data.endpointId,
          'endpoint deleted',
          ctx,
        ),
      ];
    default:
      return [];
  }
}
