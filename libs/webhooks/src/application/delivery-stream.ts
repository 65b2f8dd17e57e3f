import { isId } from '../../../kernel/src/index.js';
import { streamName } from '../../../event-store/src/index.js';
import { deliveryNotFound } from '../domain/delivery.errors.js';
import { DELIVERY_CATEGORY } from '../domain/delivery.events.js';

export function deliveryStream(deliveryId: string): string {
  if (!isId('dlv', deliveryId)) throw deliveryNotFound();
  return streamName(DELIVERY_CATEGORY, deliveryId);
}
