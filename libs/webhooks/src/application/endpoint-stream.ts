import { isId } from '../../../kernel/src/index.js';
import { streamName } from '../../../event-store/src/index.js';
import { endpointNotFound } from '../domain/endpoint.errors.js';
import { ENDPOINT_CATEGORY } from '../domain/endpoint.events.js';

/** The stream of an endpoint id from a URL; a string that cannot be an endpoint id is a 404 at once. */
export function endpointStream(endpointId: string): string {
  if (!isId('ep', endpointId)) throw endpointNotFound();
  return streamName(ENDPOINT_CATEGORY, endpointId);
}
