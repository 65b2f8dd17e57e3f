const MONGO_URL_SHAPE = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/([^?]*))?(\?.*)?$/;

/** The database named in a mongodb:// URL ("test" when it names none, as the driver does). */
export function databaseNameOf(url: string): string {
  const match = MONGO_URL_SHAPE.exec(url);
  return decodeURIComponent(match?.[2] ?? '') || 'test';
}

/**
 * The same URL on another database, options kept: for tests that need a database per run or per
 * app instance (FerretDB and MongoDB both allow `[A-Za-z0-9_-]`, up to 63 characters here).
 */
export function withDatabase(url: string, database: string): string {
  const match = MONGO_URL_SHAPE.exec(url);
  if (!match) throw new Error('not a mongodb:// or mongodb+srv:// URL');
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) throw new Error(`unusable database name: ${database}`);
  return `${match[1]}/${database}${match[3] ?? ''}`;
}
