import { defineConfig } from 'vitest/config';

// One runner, two projects: `unit` is pure logic (no servers, no network);
// `integration` starts real servers (the BFF now, the testbed's fleet later).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/test/**/*.test.ts', 'bff/test/unit/**/*.test.ts', 'web/test/**/*.test.{ts,tsx}', 'bench/test/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['bff/test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
