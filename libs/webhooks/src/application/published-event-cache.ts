import { Injectable } from '@nestjs/common';
import type { EventPublished } from '../domain/published-event.events.js';

const CAPACITY = 1000;

/**
 * The latest published events, by id, in this process: the publish path leaves each one here for
 * the dispatcher's first attempts, which otherwise read it back from the store. A miss (another
 * process published it, or it was evicted) just reads the store.
 */
@Injectable()
export class PublishedEventCache {
  private readonly events = new Map<string, EventPublished['data']>();

  get(eventId: string): EventPublished['data'] | undefined {
    return this.events.get(eventId);
  }

  remember(event: EventPublished['data']): void {
    this.events.set(event.eventId, event);
    if (this.events.size > CAPACITY) this.events.delete(this.events.keys().next().value!);
  }
}
