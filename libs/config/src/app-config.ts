/** Typed configuration, parsed and validated once at start (see `.env.example`). */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  dataDir: string;
  eventstoreUrl: string | undefined;
  mongoUrl: string | undefined;
  /** Undefined in development until `resolveKeys` generates one into DATA_DIR. */
  adminApiKey: string | undefined;
  /** 32 bytes; undefined in development until generated. */
  dataEncryptionKey: Buffer | undefined;
  logLevel: string;
  /** Which roles this process runs: the HTTP API, the background worker (projections, saga, dispatcher), or both. */
  roles: { api: boolean; worker: boolean };
  webhooks: {
    allowPrivateNetworks: boolean;
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryFactor: number;
    retryMaxDelayMs: number;
    secretOverlapMs: number;
    responseBodyLimit: number;
    /** Attempts in flight at once, overall and per endpoint, in this process. */
    maxConcurrency: number;
    maxConcurrencyPerEndpoint: number;
    dispatchPollMs: number;
    /** Publish back-pressure: fresh deliveries waiting this long on a saturated process hold publishes (0: off). */
    backpressureTargetMs: number;
    /** The longest a publish is held before it is accepted anyway. */
    backpressureMaxWaitMs: number;
  };
  maxEventPayloadBytes: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function num(env: Env, name: string, def: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new ConfigError(name, `must be a number ≥ ${min}, got "${raw}"`);
  return value;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: string, schemes: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const scheme = raw.split(':')[0];
  if (!schemes.includes(scheme ?? ''))
    throw new ConfigError(name, `must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);
  return raw;
}

export function decodeEncryptionKey(raw: string, variable = 'DATA_ENCRYPTION_KEY'): Buffer {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32)
    throw new ConfigError(variable, `must be 32 bytes encoded in base64 (got ${key.length} bytes)`);
  return key;
}

export function parseAppConfig(env: Env): AppConfig {
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test, got "${env.NODE_ENV}"`);
  }
  const adminApiKey = env.ADMIN_API_KEY?.trim() || undefined;
  if (adminApiKey !== undefined && adminApiKey.length < 24) {
    throw new ConfigError('ADMIN_API_KEY', 'must be at least 24 characters long');
  }
  const dataEncryptionKey = env.DATA_ENCRYPTION_KEY?.trim()
    ? decodeEncryptionKey(env.DATA_ENCRYPTION_KEY)
    : undefined;
  if (nodeEnv === 'production') {
    if (!adminApiKey)
      throw new ConfigError(
        'ADMIN_API_KEY',
        'is required when NODE_ENV=production (nothing is generated in production)',
      );
    if (!dataEncryptionKey) {
      throw new ConfigError(
        'DATA_ENCRYPTION_KEY',
        'is required when NODE_ENV=production (32 random bytes, base64: `openssl rand -base64 32`)',
      );
    }
  }
  const rolesRaw = (env.ROLES ?? 'api,worker').split(',').map((r) => r.trim());
  for (const r of rolesRaw)
    if (r !== 'api' && r !== 'worker') throw new ConfigError('ROLES', `accepts api and worker, got "${r}"`);
  const retryBaseMs = int(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 0);
  const retryMaxDelayMs = int(env, 'WEBHOOK_RETRY_MAX_DELAY_MS', 36_000_000, 0);
  return {
    nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    dataDir: env.DATA_DIR?.trim() || './data',
    eventstoreUrl: url(env, 'EVENTSTORE_URL', ['esdb', 'esdb+discover', 'kurrentdb']),
    mongoUrl: url(env, 'MONGO_URL', ['mongodb', 'mongodb+srv']),
    adminApiKey,
    dataEncryptionKey,
    logLevel: env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'warn' : 'info'),
    roles: { api: rolesRaw.includes('api'), worker: rolesRaw.includes('worker') },
    webhooks: {
      allowPrivateNetworks: bool(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 15_000, 1, 600_000),
      maxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs,
      retryFactor: num(env, 'WEBHOOK_RETRY_FACTOR', 4, 1),
      retryMaxDelayMs: Math.max(retryMaxDelayMs, 0),
      secretOverlapMs: int(env, 'WEBHOOK_SECRET_OVERLAP_MS', 86_400_000, 0),
      responseBodyLimit: int(env, 'WEBHOOK_RESPONSE_BODY_LIMIT', 4096, 0, 1_048_576),
      maxConcurrency: int(env, 'WEBHOOK_MAX_CONCURRENCY', 64, 1, 10_000),
      maxConcurrencyPerEndpoint: int(env, 'WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT', 8, 1, 1_000),
      dispatchPollMs: int(env, 'WEBHOOK_DISPATCH_POLL_MS', 1000, 10, 60_000),
      backpressureTargetMs: int(env, 'WEBHOOK_BACKPRESSURE_TARGET_MS', 25, 0, 60_000),
      backpressureMaxWaitMs: int(env, 'WEBHOOK_BACKPRESSURE_MAX_WAIT_MS', 1000, 0, 60_000),
    },
    maxEventPayloadBytes: int(env, 'MAX_EVENT_PAYLOAD_BYTES', 262_144, 1, 16 * 1_048_576),
  };
}
