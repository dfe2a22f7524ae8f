import { fileURLToPath } from 'node:url';

import { ConfigError, loadConfig } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { createLogger } from './lib/logger.ts';
import { startServer } from './server.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`fleetdeck-bff: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

// `npm start` serves the SPA built next door unless configured otherwise.
config.web.staticDir ??= fileURLToPath(new URL('../../web/dist', import.meta.url));

const logger = createLogger(config.log.level);
const running = await startServer(config, { logger });
logger.info({ url: running.url, mode: config.mode, routes: running.routes.length }, `Fleetdeck is serving on ${running.url}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
