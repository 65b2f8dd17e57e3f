import type { EventPublished } from '../domain/published-event.events.js';

/**
 * The body a subscriber receives. Built from the stored event, so every attempt sends the same
 * bytes; the signatures are computed over exactly these bytes.
 */
export function deliveryBody(e: EventPublished['data']): Buffer {
  const body: Record<string, unknown> = {
    id: e.eventId,
    type: e.eventType,
    createdAt: e.createdAt,
    workspaceId: e.workspaceId,
    data: e.payload,
  };
  if (e.test) body.test = true;
  return Buffer.from(JSON.stringify(body), 'utf8');
}
