import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = fileURLToPath(new URL('../go/build.sh', import.meta.url));

/**
 * The directory holding kube-apiserver and etcd: KUBEBUILDER_ASSETS when it has both,
 * else the cache the Go build fills (built once; later calls return at once).
 */
export function resolveKubeBinaries(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const started = Date.now();
  const result = spawnSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  for (const line of result.stderr.split('\n').filter(Boolean)) log(line);
  if (result.status !== 0) {
    throw new Error(
      `building kube-apiserver and etcd failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
  const dir = result.stdout.trim().split('\n').at(-1);
  if (!dir) throw new Error('testbed/go/build.sh printed no directory');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`kube binaries: ${dir} (${seconds} s)`);
  return dir;
}

/** The first line a binary prints for --version, or why it could not. */
export function versionOf(bin: string, args: string[] = ['--version']): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return `unavailable (${r.error.message})`;
  return (r.stdout || r.stderr).trim().split('\n')[0] ?? 'unknown';
}

const HELM_SCRIPT = fileURLToPath(new URL('../go/build-helm.sh', import.meta.url));

/**
 * The helm binary the chart tests use: HELM_BINARY when set, else the one
 * testbed/go/build-helm.sh builds from the Go module proxy into the testbin cache (the
 * testbed's start builds it too, so this normally returns at once).
 */
export function resolveHelm(): string {
  const result = spawnSync('bash', [HELM_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`building helm failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-20).join('\n')}`);
  }
  const bin = result.stdout.trim().split('\n').at(-1);
  if (!bin) throw new Error('testbed/go/build-helm.sh printed no path');
  return bin;
}
