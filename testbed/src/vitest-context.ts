import type { TestbedEnv } from './env.ts';

// Tests read the running testbed with `inject('testbed')`; this types it.
declare module 'vitest' {
  export interface ProvidedContext {
    testbed: TestbedEnv;
  }
}
