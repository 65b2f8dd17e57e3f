import type { Upcaster } from '../../event-store/src/index.js';

/** Every upcaster of every capability, registered with the event store at start. */
export const UPCASTERS: Upcaster[] = [];
