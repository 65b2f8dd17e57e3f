import type { Projection } from '../../read-store/src/index.js';
import { TOKEN_READ_REPOSITORY, TokenProjection, type TokenReadRepository } from '../../tokens/src/index.js';
import {
  DELIVERY_READ_REPOSITORY,
  DeliveryProjection,
  type DeliveryReadRepository,
  ENDPOINT_READ_REPOSITORY,
  EndpointProjection,
  type EndpointReadRepository,
} from '../../webhooks/src/index.js';

/** Every read-model port, by DI token: what a generation must provide. */
export const READ_MODEL_TOKENS = {
  tokens: TOKEN_READ_REPOSITORY,
  endpoints: ENDPOINT_READ_REPOSITORY,
  deliveries: DELIVERY_READ_REPOSITORY,
} as const;

export interface ReadModelRepositories {
  tokens: TokenReadRepository;
  endpoints: EndpointReadRepository;
  deliveries: DeliveryReadRepository;
}

/** The projections of one generation, bound to that generation's repositories. */
export function buildProjections(
  r: ReadModelRepositories,
  onDue: (at: Date, endpointId: string) => void,
): Projection[] {
  return [
    new TokenProjection(r.tokens),
    new EndpointProjection(r.endpoints),
    new DeliveryProjection(r.deliveries, onDue),
  ];
}
