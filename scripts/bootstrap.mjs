#!/usr/bin/env node
// The entry point of `npm start`, `npm test` and `npm run bench` on a fresh machine.
//
// It runs on whatever Node the machine has (Debian's Node 20 here), so it is plain
// JavaScript with no dependencies. It bootstraps the pinned pnpm through npx,
// installs the workspace (which brings the project's own Node 24 from the npm
// registry's `node` package), installs the system packages the tests need, and then
// hands over to the real script, which runs on the pinned Node.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [target, ...extraArgs] = process.argv.slice(2);
const targets = { start: 'app:start', 'start:local': 'app:start:local', test: 'app:test', bench: 'app:bench' };

function fail(message) {
  console.error(`\nfleetdeck bootstrap: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) fail(`could not run ${cmd}: ${result.error.message}`);
  return result.status ?? 1;
}

if (!targets[target]) fail(`unknown target "${target}"; expected one of ${Object.keys(targets).join(', ')}`);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = /^pnpm@(.+)$/.exec(pkg.packageManager ?? '')?.[1];
if (!pnpmVersion) fail('package.json has no "packageManager": "pnpm@<version>" pin');

// npx caches the package after the first call, so later calls cost about a second.
const pnpm = (args, options) => run('npx', ['--yes', `pnpm@${pnpmVersion}`, ...args], options);

console.log(`fleetdeck: installing the workspace with pnpm ${pnpmVersion}`);
if (pnpm(['install', '--frozen-lockfile', '--prefer-offline']) !== 0) fail('pnpm install failed (see above)');

const pinnedNode = join(root, 'node_modules', '.bin', 'node');
const nodeVersion = spawnSync(pinnedNode, ['--version'], { encoding: 'utf8' });
if (nodeVersion.status !== 0 || !/^v24\./.test(nodeVersion.stdout)) {
  fail(
    `the pinned Node 24 is missing at ${pinnedNode} (got: ${nodeVersion.stdout || nodeVersion.error?.message}). ` +
      'pnpm must be allowed to run the `node` package install script (package.json pnpm.onlyBuiltDependencies).',
  );
}

if (target === 'test' || target === 'start:local') ensureTestbedPrerequisites();

// pnpm puts node_modules/.bin first on PATH, so the script runs on the pinned Node.
process.exit(pnpm(['run', targets[target], ...extraArgs]));

// What the tests drive for real: Debian's Chromium (Playwright) and Prometheus (testbed),
// and Go, which builds kube-apiserver and etcd once into a cache outside the repo.
function ensureTestbedPrerequisites() {
  const kubeAssets = process.env.KUBEBUILDER_ASSETS;
  const haveAssets = kubeAssets && existsSync(join(kubeAssets, 'kube-apiserver')) && existsSync(join(kubeAssets, 'etcd'));
  if (!haveAssets && spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    fail('the testbed builds kube-apiserver and etcd with Go (1.26+), which is not on PATH; install Go or set KUBEBUILDER_ASSETS');
  }
  const needed = [
    { file: '/usr/bin/chromium', pkg: 'chromium' },
    { file: '/usr/bin/prometheus', pkg: 'prometheus' },
  ].filter((p) => !existsSync(p.file));
  if (needed.length === 0) return;
  const names = needed.map((p) => p.pkg);
  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? [] : ['sudo', '-n'];
  console.log(`fleetdeck: installing Debian packages for the tests: ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...pre] = isRoot ? ['apt-get'] : [...sudo, 'apt-get'];
  if (run(cmd, [...pre, 'update', '-qq'], { env }) !== 0) fail('apt-get update failed');
  if (run(cmd, [...pre, 'install', '-y', '-qq', '--no-install-recommends', ...names], { env }) !== 0) {
    fail(`apt-get install ${names.join(' ')} failed; install them by hand or run as root`);
  }
  for (const p of needed) if (!existsSync(p.file)) fail(`${p.pkg} installed but ${p.file} is still missing`);
}
