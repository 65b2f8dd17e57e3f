import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadata, RecordedEvent } from '../../../kernel/src/index.js';
import { EVENT_STORE, type EventStore, streamName } from '../../../event-store/src/index.js';
import { READ_MODEL_SYNC, type ReadModelSync } from '../../../read-store/src/read-model-sync.port.js';
import { type EventPublished, PUBLISHED_EVENT_CATEGORY } from '../domain/published-event.events.js';
import { deliverySaga } from './delivery.saga.js';
import { DeliveryBacklog } from './delivery-backlog.js';
import { PublishedEventCache } from './published-event-cache.js';

/**
 * Appends an `EventPublished` (publish route and test sends), requests its deliveries as the
 * delivery saga would, and waits until they are in the delivery log: the ids in the 202 answer can
 * be read at once, on any instance. The saga still reacts to the same event (a crash right after
 * the append, or a store without multi-stream transactions); its requests then change nothing.
 */
@Injectable()
export class EventPublisher {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SYNC) private readonly sync: ReadModelSync,
    private readonly commands: CommandBus,
    private readonly cache: PublishedEventCache,
    private readonly backlog: DeliveryBacklog,
  ) {}

  async publish(data: EventPublished['data'], metadata: EventMetadata): Promise<void> {
    const streamId = streamName(PUBLISHED_EVENT_CATEGORY, data.eventId);
    const { position } = await this.store.append(
      streamId,
      [{ type: 'EventPublished', data, metadata }],
      'no_stream',
    );
    this.cache.remember(data);
    const at = performance.now();
    for (const d of data.deliveries) this.backlog.requested(d.endpointId, d.deliveryId, at);
    const recorded: RecordedEvent = {
      position,
      streamId,
      revision: 0,
      type: 'EventPublished',
      schemaVersion: 1,
      data,
      metadata,
      recordedAt: data.createdAt,
    };
    const positions = await Promise.all(
      deliverySaga(recorded).map((command) => this.commands.execute<object, number>(command)),
    );
    await this.sync.waitFor(Math.max(0, ...positions));
  }
}
