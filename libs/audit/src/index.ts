export * from './redact.js';
export * from './audit-filter.js';
export * from './audit-log.js';
