import type { RecordedEvent } from '../../../kernel/src/index.js';
import type { Projection } from '../../../read-store/src/projection.js';
import { endpointDecider } from '../domain/endpoint.decider.js';
import { ENDPOINT_EVENT_TYPES, type EndpointEvent } from '../domain/endpoint.events.js';
import type { EndpointState, ExistingEndpoint } from '../domain/endpoint.state.js';
import type { EndpointReadRepository } from './endpoint-read.repository.js';

/** Folds endpoint events with the aggregate's own `evolve` into the stored state. */
export class EndpointProjection implements Projection {
  readonly name = 'endpoints';
  readonly handles = ENDPOINT_EVENT_TYPES;

  constructor(private readonly repository: EndpointReadRepository) {}

  async apply(recorded: RecordedEvent): Promise<void> {
    const event = recorded as unknown as EndpointEvent;
    const stored = await this.repository.get(event.data.endpointId);
    if (stored && stored.revision >= recorded.revision) return;
    const before: EndpointState = stored?.state ?? endpointDecider.initialState();
    const after = endpointDecider.evolve(before, event);
    if (after.status !== 'absent') await this.repository.save(after as ExistingEndpoint, recorded.revision);
  }
}
