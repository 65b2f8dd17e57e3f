export * from './event-envelope.js';
export * from './decider.js';
export * from './domain-error.js';
export * from './clock.js';
export * from './ids.js';
export * from './cursor.js';
export * from './command-context.js';
