import { fileURLToPath } from 'node:url';

import { defineConfig } from '@playwright/test';

import { TESTBED_PORT } from './testbed-setup.ts';

const port = Number(process.env.E2E_PORT ?? 18080);
const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Debian's Chromium, never a downloaded browser. The flags keep it from reaching for
 * the network (this machine's is closed) and let it run as root in CI.
 */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

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
  projects: [
    { name: 'demo', testDir: './tests', use: { baseURL: `http://127.0.0.1:${port}` } },
    { name: 'testbed', testDir: './tests-testbed', use: { baseURL: `http://127.0.0.1:${TESTBED_PORT}` } },
  ],
  webServer: {
    // The real BFF in demo mode, serving the SPA built by `pnpm test:e2e`.
    command: 'node bff/src/main.ts',
    cwd: repo,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: { PORT: String(port), FLEETDECK_MODE: 'demo', LOG_LEVEL: 'warn', FLEETDECK_STATIC_DIR: `${repo}web/dist` },
  },
});
