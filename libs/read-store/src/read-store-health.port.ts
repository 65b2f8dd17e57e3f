export const READ_STORE_HEALTH = Symbol('READ_STORE_HEALTH');

export interface ReadStoreHealth {
  ping(): Promise<boolean>;
}
