export * from './app-config.js';
export * from './key-material.js';
export * from './config.tokens.js';
export * from './app-config.module.js';
export * from './startup-error.js';
