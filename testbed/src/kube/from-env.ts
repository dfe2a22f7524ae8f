import { readFileSync } from 'node:fs';

import type { ApiServerEnv, TestbedEnv } from '../env.ts';
import { KubeClient } from './client.ts';

/** A client for one of the testbed's API servers, as the setup admin or as the BFF. */
export function kubeClient(env: TestbedEnv, server: ApiServerEnv, as: 'admin' | 'bff'): KubeClient {
  const creds = env.users[as];
  return new KubeClient({
    url: server.url,
    ca: readFileSync(server.caFile, 'utf8'),
    cert: readFileSync(creds.certFile, 'utf8'),
    key: readFileSync(creds.keyFile, 'utf8'),
  });
}
