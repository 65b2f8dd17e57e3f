import 'reflect-metadata';
import { describeStartupError } from '../../../libs/config/src/index.js';
import { createApp } from './create-app.js';

async function main(): Promise<void> {
  const { app, config, keys, logger } = await createApp();
  await app.listen(config.port);
  logger.info(
    { port: config.port, dataDir: config.dataDir, roles: config.roles },
    `WhatsMine Developer Tools listening on http://localhost:${config.port} (docs: /api-docs)`,
  );
  if (keys.adminKeyFile) {
    // The key itself is never logged: only where to read it.
    logger.warn(
      `Development admin API key is in ${keys.adminKeyFile} (generated ${keys.generated.includes(keys.adminKeyFile) ? 'now' : 'earlier'}); set ADMIN_API_KEY to use your own.`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${describeStartupError(error)}\n`);
  process.exit(1);
});
