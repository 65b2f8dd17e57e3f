import type { Upcaster } from '../../event-store/src/index.js';
import { endpointRegisteredV1toV2 } from '../../webhooks/src/domain/endpoint-registered.upcaster.js';

/** Every upcaster of every capability, registered with the event store at start. */
export const UPCASTERS: Upcaster[] = [endpointRegisteredV1toV2];
