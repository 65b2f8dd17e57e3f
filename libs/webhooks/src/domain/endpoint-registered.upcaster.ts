import type { Upcaster } from '../../../event-store/src/upcaster-registry.js';

/**
 * EndpointRegistered v1 (the first release) had no `description`; v2 always has one.
 * Old events stay as they were written and are read as v2.
 */
export const endpointRegisteredV1toV2: Upcaster = {
  type: 'EndpointRegistered',
  fromVersion: 1,
  upcast: (data) => {
    const d = data as Record<string, unknown>;
    return { ...d, description: typeof d.description === 'string' ? d.description : '' };
  },
};
