#!/usr/bin/env node
/**
 * `npm run testbed -- <command>`:
 *   up                      build if needed, start everything, seed; print the env JSON (also .testbed/env.json)
 *   down                    stop it; no process is left behind
 *   versions                the real version of each part it would use
 *   seed --clusters N       add N MemberClusters across the three tenants to the running hub (scale tests)
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { resolveKubeBinaries, versionOf } from './binaries.ts';
import { DEFAULT_RUN_DIR, down, readEnv, up } from './index.ts';
import { kubeClient } from './kube/from-env.ts';
import { applySeed } from './kube/install.ts';
import { fleetClusters, memberClusterSeed } from './kube/seed.ts';
import { LOKI_STANDIN_VERSION } from './loki/index.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { clusters: { type: 'string' } } });
const [command] = positionals;
const err = (line: string) => process.stderr.write(`${line}\n`);

switch (command) {
  case 'up': {
    const env = await up({ onLog: err });
    process.stdout.write(`${JSON.stringify(env, null, 2)}\n`);
    err(`testbed is up; env written to ${DEFAULT_RUN_DIR}/env.json. Stop it with: npm run testbed -- down`);
    break;
  }
  case 'down': {
    const { stopped, leftovers } = await down();
    err(stopped ? 'testbed stopped' : 'no testbed was running');
    if (leftovers.length > 0) {
      err(`processes left behind: ${leftovers.join(', ')}`);
      process.exit(1);
    }
    break;
  }
  case 'versions': {
    const bin = resolveKubeBinaries(err);
    const require = createRequire(import.meta.url);
    const oidcVersion = (require('oidc-provider/package.json') as { version: string }).version;
    const promLabelProxy = readdirSync(bin).find((f) => f.startsWith('prom-label-proxy-'));
    const versions = {
      'kube-apiserver': versionOf(`${bin}/kube-apiserver`),
      etcd: versionOf(`${bin}/etcd`),
      prometheus: versionOf('prometheus'),
      loki: LOKI_STANDIN_VERSION,
      'oidc-provider': `oidc-provider ${oidcVersion} (npm)`,
      'prom-label-proxy': promLabelProxy
        ? `${promLabelProxy.replace('prom-label-proxy-', 'prom-label-proxy ')} (built from the Go module proxy)`
        : 'not built',
      chromium: versionOf(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    };
    process.stdout.write(`${JSON.stringify(versions, null, 2)}\n`);
    break;
  }
  case 'seed': {
    const count = Number(values.clusters);
    if (!Number.isInteger(count) || count < 1 || count > 20000) {
      err('usage: testbed seed --clusters N   (1 ≤ N ≤ 20000)');
      process.exit(2);
    }
    const env = readEnv();
    const started = Date.now();
    const base = fleetClusters(new Date()).length;
    const synthetic = fleetClusters(new Date(), count).slice(base);
    await applySeed(kubeClient(env, env.hub, 'admin'), synthetic.map(memberClusterSeed), 16);
    err(`seeded ${synthetic.length} MemberClusters in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    break;
  }
  default:
    err('usage: npm run testbed -- up | down | versions | seed --clusters N');
    process.exit(2);
}
