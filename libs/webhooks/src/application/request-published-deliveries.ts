import type { CommandBus } from '@nestjs/cqrs';
import type { EventMetadata, RecordedEvent } from '../../../kernel/src/index.js';
import type { ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import type { EventPublished } from '../domain/published-event.events.js';
import { deliverySaga } from './delivery.saga.js';

/**
 * Requests the deliveries of an event just published, as the delivery saga would, and waits until
 * they are in the delivery log: the ids in the 202 answer can be read at once, on any instance.
 * The saga still reacts to the same event (a crash right after the publish, or a store without
 * multi-stream transactions); its requests then find the deliveries there and change nothing.
 */
export async function requestPublishedDeliveries(
  commands: CommandBus,
  sync: ReadModelSync,
  published: { streamId: string; position: number; data: EventPublished['data']; metadata: EventMetadata },
): Promise<void> {
  const recorded: RecordedEvent = {
    position: published.position,
    streamId: published.streamId,
    revision: 0,
    type: 'EventPublished',
    schemaVersion: 1,
    data: published.data,
    metadata: published.metadata,
    recordedAt: published.data.createdAt,
  };
  const positions = await Promise.all(
    deliverySaga(recorded).map((command) => commands.execute<object, number>(command)),
  );
  await sync.waitFor(Math.max(0, ...positions));
}
