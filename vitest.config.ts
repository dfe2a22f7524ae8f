import { defineConfig } from 'vitest/config';

// One runner, two projects: `unit` is pure logic (no servers, no network);
// `integration` runs against real servers: the BFF, and the testbed's local fleet
// (kube-apiservers, etcd, Prometheus, OIDC provider, Loki-API stand-in), which the
// global setup brings up once per run and down after.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared/test/**/*.test.ts',
            'bff/test/unit/**/*.test.ts',
            'web/test/**/*.test.{ts,tsx}',
            'bench/test/**/*.test.ts',
            'testbed/test/unit/**/*.test.ts',
            'testbed/test/fleet-controller/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['bff/test/integration/**/*.test.ts', 'testbed/test/integration/**/*.test.ts', 'testbed/test/{loki,idp}/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['testbed/src/vitest-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Two cores already run three API servers and Prometheus; one test file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
