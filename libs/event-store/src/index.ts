export * from './event-store.port.js';
export * from './wrong-expected-revision.error.js';
export * from './stream-name.js';
export * from './upcaster-registry.js';
export * from './command-processor.js';
