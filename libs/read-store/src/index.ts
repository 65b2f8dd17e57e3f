export * from './checkpoint-store.port.js';
export * from './projection.js';
export * from './projection-runner.js';
export * from './read-model-sync.port.js';
export * from './read-store-health.port.js';
export * from './saga-runner.js';
export * from './read-model-set.js';
export * from './read-models.js';
