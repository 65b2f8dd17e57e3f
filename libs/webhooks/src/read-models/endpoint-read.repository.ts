import type { Page } from '../../../kernel/src/index.js';
import type { ExistingEndpoint } from '../domain/endpoint.state.js';

export const ENDPOINT_READ_REPOSITORY = Symbol('ENDPOINT_READ_REPOSITORY');

/** The endpoint read model keeps the folded aggregate state (the same `evolve` as the command side). */
export interface StoredEndpoint {
  state: ExistingEndpoint;
  revision: number;
}

export interface EndpointReadRepository {
  get(endpointId: string): Promise<StoredEndpoint | null>;
  /** Writes only when `revision` is newer than the stored one (idempotent under replay). */
  save(state: ExistingEndpoint, revision: number): Promise<void>;
  /** Not deleted, and of this workspace — anything else is "not found". */
  findById(workspaceId: string, endpointId: string): Promise<ExistingEndpoint | null>;
  list(
    workspaceId: string,
    limit: number,
    cursor?: { t: string; id: string },
  ): Promise<Page<ExistingEndpoint>>;
  /** Enabled endpoints of the workspace subscribed to `eventType` (or "*"). */
  findSubscribed(workspaceId: string, eventType: string): Promise<ExistingEndpoint[]>;
  clear(): Promise<void>;
}
