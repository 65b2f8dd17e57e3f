import type { Decider } from '../../kernel/src/index.js';
import { streamCategory } from '../../event-store/src/index.js';
import { TOKEN_CATEGORY, tokenDecider } from '../../tokens/src/index.js';
import { deliveryDecider } from '../../webhooks/src/domain/delivery.decider.js';
import { DELIVERY_CATEGORY } from '../../webhooks/src/domain/delivery.events.js';
import { endpointDecider } from '../../webhooks/src/domain/endpoint.decider.js';
import { ENDPOINT_CATEGORY } from '../../webhooks/src/domain/endpoint.events.js';

type Fold = Pick<Decider<unknown, unknown, never>, 'initialState' | 'evolve'>;

/** Stream category → the aggregate's own fold (the very `evolve` its command handlers use). */
const FOLDS: Record<string, Fold> = {
  [TOKEN_CATEGORY]: tokenDecider as unknown as Fold,
  [ENDPOINT_CATEGORY]: endpointDecider as unknown as Fold,
  [DELIVERY_CATEGORY]: deliveryDecider as unknown as Fold,
};

export function foldFor(streamId: string): Fold | undefined {
  return FOLDS[streamCategory(streamId)];
}
