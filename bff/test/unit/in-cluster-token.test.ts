import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ProjectedTokenFile, inClusterKubeConfig } from '../../src/sources/kube/in-cluster.ts';

const headersOf = async (kc: ReturnType<typeof inClusterKubeConfig>) => {
  const opts: { headers?: Record<string, string> } = {};
  await kc.applyToHTTPSOptions(opts);
  return opts.headers;
};

/** The kubelet's layout: token -> ..data/token, ..data -> a timestamped dir, swapped in one rename. */
function kubeletDir(): { dir: string; project: (token: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-projected-'));
  writeFileSync(join(dir, 'ca.crt'), 'not read by these tests');
  let n = 0;
  const project = (token: string) => {
    const ts = join(dir, `..${++n}`);
    mkdirSync(ts);
    writeFileSync(join(ts, 'token'), token);
    symlinkSync(`..${n}`, join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  };
  project('first-token');
  symlinkSync('..data/token', join(dir, 'token'));
  return { dir, project };
}

describe('in-cluster mode: the projected ServiceAccount token', () => {
  it('sends the token, and the new one as soon as the kubelet swaps the files', async () => {
    const { dir, project } = kubeletDir();
    const kc = inClusterKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, dir });
    expect(kc.getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
    expect(await headersOf(kc)).toMatchObject({ Authorization: 'Bearer first-token' });
    project('second-token');
    expect(await headersOf(kc)).toMatchObject({ Authorization: 'Bearer second-token' });
  });

  it('brackets an IPv6 service address', () => {
    const { dir } = kubeletDir();
    const kc = inClusterKubeConfig({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' }, dir });
    expect(kc.getCurrentCluster()?.server).toBe('https://[fd00::1]:6443');
  });

  it('keeps the last token while the file is missing or empty mid-write, and refuses to start without one', () => {
    const { dir } = kubeletDir();
    const token = new ProjectedTokenFile(join(dir, 'token'));
    expect(token.token()).toBe('first-token');
    writeFileSync(join(dir, '..data', 'token'), '');
    expect(token.token()).toBe('first-token');
    rmSync(join(dir, 'token'));
    expect(token.token()).toBe('first-token');
    expect(() => new ProjectedTokenFile(join(dir, 'token'))).toThrow(/cannot read the ServiceAccount token/);
    expect(() => inClusterKubeConfig({ env: {}, dir })).toThrow(/KUBERNETES_SERVICE_HOST is not set/);
  });
});
