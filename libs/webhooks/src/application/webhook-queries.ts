import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, decodeCursor, isId, type Page } from '../../../kernel/src/index.js';
import type { AttemptRecord } from '../domain/delivery.events.js';
import { deliveryNotFound } from '../domain/delivery.errors.js';
import type { DeliveryStatus } from '../domain/delivery.state.js';
import { endpointNotFound } from '../domain/endpoint.errors.js';
import type { ExistingEndpoint } from '../domain/endpoint.state.js';
import {
  DELIVERY_READ_REPOSITORY,
  type DeliveryReadRepository,
  type DeliveryView,
} from '../read-models/delivery-read.repository.js';
import {
  ENDPOINT_READ_REPOSITORY,
  type EndpointReadRepository,
} from '../read-models/endpoint-read.repository.js';
import { SECRET_VAULT, type SecretVault } from './secret-vault.port.js';

/** The read side of webhooks: answers only from read models (and the vault, to reveal a secret). */
@Injectable()
export class WebhookQueries {
  constructor(
    @Inject(ENDPOINT_READ_REPOSITORY) private readonly endpoints: EndpointReadRepository,
    @Inject(DELIVERY_READ_REPOSITORY) private readonly deliveries: DeliveryReadRepository,
    @Inject(SECRET_VAULT) private readonly vault: SecretVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async endpoint(workspaceId: string, endpointId: string): Promise<ExistingEndpoint> {
    const e = isId('ep', endpointId) ? await this.endpoints.findById(workspaceId, endpointId) : null;
    if (!e) throw endpointNotFound();
    return e;
  }

  listEndpoints(workspaceId: string, limit: number, cursor?: string): Promise<Page<ExistingEndpoint>> {
    return this.endpoints.list(workspaceId, limit, decodeCursor(cursor));
  }

  async secret(
    workspaceId: string,
    endpointId: string,
  ): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
    const e = await this.endpoint(workspaceId, endpointId);
    const secret = await this.vault.decrypt(e.endpointId, e.secrets.current);
    if (secret === null) throw endpointNotFound();
    const previous = e.secrets.previous;
    const active = previous && new Date(previous.expiresAt) > this.clock.now();
    return { secret, previousSecretExpiresAt: active ? previous.expiresAt : null };
  }

  async deliveriesOf(
    workspaceId: string,
    endpointId: string,
    filter: { status?: DeliveryStatus; eventType?: string; limit: number; cursor?: string },
  ): Promise<Page<DeliveryView>> {
    await this.endpoint(workspaceId, endpointId);
    return this.deliveries.listByEndpoint({
      workspaceId,
      endpointId,
      status: filter.status,
      eventType: filter.eventType,
      limit: filter.limit,
      cursor: decodeCursor(filter.cursor),
    });
  }

  async delivery(
    workspaceId: string,
    deliveryId: string,
  ): Promise<DeliveryView & { attempts: AttemptRecord[] }> {
    const d = isId('dlv', deliveryId) ? await this.deliveries.findById(workspaceId, deliveryId) : null;
    if (!d) throw deliveryNotFound();
    return d;
  }
}
