import { fileURLToPath } from 'node:url';

import { defineConfig } from '@playwright/test';

import { BFF_NODE_FLAGS } from '../bff/src/runtime-flags.ts';

import { CHROMIUM } from './chromium.ts';
import { TESTBED_PORT } from './testbed-setup.ts';

const port = Number(process.env.E2E_PORT ?? 18080);
const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  // The testbed journeys need a real fleet: brought up once for the run, down after.
  globalSetup: './testbed-setup.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    launchOptions: CHROMIUM,
    trace: 'retain-on-failure',
  },
  // The testbed journeys first (the testbed's member-agent stand-in and live Prometheus feed keep
  // its clusters current now, but the journeys still run best on a freshly seeded fleet).
  projects: [
    { name: 'testbed', testDir: './tests-testbed', use: { baseURL: `http://127.0.0.1:${TESTBED_PORT}` } },
    { name: 'demo', testDir: './tests', use: { baseURL: `http://127.0.0.1:${port}` } },
  ],
  webServer: {
    // The real BFF in demo mode, serving the SPA built by `pnpm test:e2e`.
    command: `node ${BFF_NODE_FLAGS.join(' ')} bff/src/main.ts`,
    cwd: repo,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: { PORT: String(port), FLEETDECK_MODE: 'demo', LOG_LEVEL: 'warn', FLEETDECK_STATIC_DIR: `${repo}web/dist` },
  },
});
