import type { RecordedEvent } from '../../../kernel/src/index.js';
import type { Projection } from '../../../read-store/src/projection.js';
import { deliveryDecider } from '../domain/delivery.decider.js';
import { DELIVERY_EVENT_TYPES, type DeliveryEvent } from '../domain/delivery.events.js';
import type { DeliveryState, ExistingDelivery } from '../domain/delivery.state.js';
import type { DeliveryReadRepository, DeliveryView } from './delivery-read.repository.js';

/** Delivery log and due-deliveries table in one: the dispatcher polls `status = pending AND nextAttemptAt <= now`. */
export class DeliveryProjection implements Projection {
  readonly name = 'deliveries';
  readonly handles = DELIVERY_EVENT_TYPES;
  /** The row this projection wrote last. */
  private last: { view: DeliveryView; revision: number } | null = null;

  constructor(
    private readonly repository: DeliveryReadRepository,
    /** Told when a delivery becomes due, so an idle dispatcher wakes at once instead of at its next poll. */
    private readonly onDue: (at: Date, endpointId: string) => void = () => {},
  ) {}

  async apply(recorded: RecordedEvent): Promise<void> {
    const event = recorded as unknown as DeliveryEvent;
    // A request starts a new row: nothing to read (a replay's upsert is ignored by its revision
    // guard). An attempt and its outcome come as consecutive events: the second one starts from
    // the row just written instead of reading it back.
    const last = this.last;
    const stored =
      event.type === 'DeliveryRequested'
        ? null
        : last?.view.deliveryId === event.data.deliveryId && last.revision === recorded.revision - 1
          ? last
          : await this.repository.get(event.data.deliveryId);
    if (stored && stored.revision >= recorded.revision) return;
    if (event.type === 'DeliveryAttempted') {
      const { deliveryId: _d, endpointId: _e, workspaceId: _w, ...attempt } = event.data;
      await this.repository.addAttempt(event.data.deliveryId, attempt);
    }
    const before: DeliveryState = stored?.view ?? deliveryDecider.initialState();
    const after = deliveryDecider.evolve(before, event);
    if (after.status === 'absent') return;
    const view: DeliveryView = {
      ...(after as ExistingDelivery),
      test: event.type === 'DeliveryRequested' ? event.data.test : (stored?.view.test ?? false),
      recovered:
        event.type === 'DeliveryRequested' ? event.data.recovered : (stored?.view.recovered ?? false),
      succeededOnce: event.type === 'DeliverySucceeded' || (stored?.view.succeededOnce ?? false),
    };
    await this.repository.save(view, recorded.revision);
    this.last = { view, revision: recorded.revision };
    if (view.status === 'pending' && view.nextAttemptAt)
      this.onDue(new Date(view.nextAttemptAt), view.endpointId);
  }
}
