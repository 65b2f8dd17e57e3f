/** DI tokens for configuration values (the typed config and the resolved key material). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const KEYS = Symbol('KEYS');
