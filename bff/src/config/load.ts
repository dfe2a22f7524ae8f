import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';

import { DEMO_ACCESS_POLICY } from '../sources/demo/rollouts/demo-approvers.ts';
import { Config, gitopsSources, rolloutSources, type ConfigInput } from './schema.ts';

/** Environment variables and the config key each one sets. Env wins over the file. */
export const ENV_KEYS = {
  FLEETDECK_MODE: 'mode',
  PORT: 'server.port',
  HOST: 'server.host',
  TRUST_PROXY: 'server.trustProxy',
  METRICS_PORT: 'server.metricsPort',
  SESSION_SECRET: 'session.secret',
  LOG_LEVEL: 'log.level',
  FLEETDECK_STATIC_DIR: 'web.staticDir',
  FLEETDECK_DEMO_SYNTHETIC_CLUSTERS: 'demo.syntheticClusters',
  FLEETDECK_DEMO_PUBLIC: 'demo.public',
  FLEETDECK_INVENTORY_SOURCES: 'inventory.sources',
  PROMETHEUS_URL: 'prometheus.url',
  FLEETDECK_HEALTH_APISERVER_JOB: 'health.jobs.apiserver',
  FLEETDECK_HEALTH_RATE_WINDOW: 'health.rateWindow',
  FLEETDECK_HEALTH_RECORDING_RULES: 'health.recordingRules',
  FLEETDECK_SPOKE_KUBECONFIGS: 'spokes.kubeconfigs',
  PROMETHEUS_IS_THANOS: 'prometheus.thanos',
  PROMETHEUS_COMPRESSION: 'prometheus.compression',
  LOKI_URL: 'loki.url',
  LOKI_TENANT_ORG_IDS: 'loki.tenantOrgIds',
  FLEETDECK_STATIC_FLEET_FILE: 'inventory.staticFile',
  FLEETDECK_HUB_KUBECONFIG: 'inventory.hubKubeconfig',
  ROLLOUT_SOURCES: 'rollouts.sources',
  ROLLOUT_TENANT_NAMESPACE: 'rollouts.tenantNamespace',
  GITOPS_SOURCES: 'gitops.sources',
  ARGOCD_NAMESPACES: 'gitops.argocd.namespaces',
  ARGOCD_PROJECT_TENANTS: 'gitops.argocd.projectTenants',
  ARGOCD_NAMESPACE_TENANTS: 'gitops.argocd.namespaceTenants',
  OIDC_ISSUER_URL: 'auth.oidc.issuerUrl',
  OIDC_CLIENT_ID: 'auth.oidc.clientId',
  OIDC_CLIENT_SECRET: 'auth.oidc.clientSecret',
  OIDC_SCOPES: 'auth.oidc.scopes',
  OIDC_GROUPS_CLAIM: 'auth.oidc.groupsClaim',
  OIDC_USER_CLAIM: 'auth.oidc.userClaim',
  OIDC_REDIRECT_URL: 'auth.oidc.redirectUrl',
  OIDC_POST_LOGOUT_REDIRECT_URL: 'auth.oidc.postLogoutRedirectUrl',
  OIDC_ALLOW_INSECURE_HTTP: 'auth.oidc.allowInsecureHttp',
} as const satisfies Record<string, string>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Loads the configuration from an optional YAML file (FLEETDECK_CONFIG) and the
 * environment, and validates it. Every error names the key (and the env var or file
 * it came from), so a bad deployment fails at start with a message a person can act on.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.FLEETDECK_CONFIG;
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${file} (FLEETDECK_CONFIG): ${(err as Error).message}`);
    }
    try {
      raw = (parseYaml(text) as Record<string, unknown> | null) ?? {};
    } catch (err) {
      throw new ConfigError(`config file ${file} is not valid YAML: ${(err as Error).message}`);
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`config file ${file} must hold a YAML mapping`);
  }
  const origin = new Map<string, string>();
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, key, value);
    origin.set(key, `env ${name}`);
  }
  return parseConfig(raw, (key) => origin.get(key) ?? (file ? `file ${file}` : 'defaults'));
}

export function parseConfig(raw: ConfigInput | Record<string, unknown>, originOf: (key: string) => string = () => 'input'): Config {
  const result = Config.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const keys = issue.code === 'unrecognized_keys' ? ` (unknown: ${issue.keys.join(', ')})` : '';
      return `  ${key}${keys}: ${issue.message} [from ${originOf(key)}]`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data;
  const missing: string[] = [];
  if (config.mode === 'real' && !config.session.secret) missing.push('  session.secret: required in real mode (set SESSION_SECRET)');
  if (config.mode === 'real' && !config.auth.oidc)
    missing.push('  auth.oidc: required in real mode (set OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_REDIRECT_URL)');
  if (config.inventory.sources.includes('static') && !config.inventory.staticFile)
    missing.push('  inventory.staticFile: required by the static source (set FLEETDECK_STATIC_FLEET_FILE)');
  const onHub = config.inventory.sources.some((s) => s === 'kubefleet' || s === 'rancher-fleet');
  for (const s of rolloutSources(config)) {
    if (s !== 'demo' && (config.mode === 'demo' || !onHub))
      missing.push(
        `  rollouts.sources: "${s}" reads the hub, which needs FLEETDECK_MODE=real and a hub inventory source (kubefleet or rancher-fleet) [from ${originOf('rollouts.sources')}]`,
      );
  }
  for (const s of gitopsSources(config)) {
    if (s !== 'demo' && (config.mode === 'demo' || !onHub))
      missing.push(
        `  gitops.sources: "${s}" reads the hub, which needs FLEETDECK_MODE=real and a hub inventory source (kubefleet or rancher-fleet) [from ${originOf('gitops.sources')}]`,
      );
  }
  if (config.mode === 'demo') {
    for (const key of realSystemsConfigured(config)) {
      missing.push(
        `  ${key}: names a real system, but demo mode never talks to one (set FLEETDECK_MODE=real, or unset it) [from ${originOf(key)}]`,
      );
    }
    if (!isLoopback(config.server.host) && !config.demo.public) {
      missing.push(
        `  server.host: "${config.server.host}" is not a loopback address, and in demo mode anyone who reaches it can sign in as a Platform Admin; set FLEETDECK_DEMO_PUBLIC=true to allow it [from ${originOf('server.host')}]`,
      );
    }
  }
  if (missing.length > 0) throw new ConfigError(`invalid configuration:\n${missing.join('\n')}`);
  // The demo shows the brief's approver policy unless an access policy is configured.
  if (config.mode === 'demo' && config.accessPolicy === undefined) config.accessPolicy = DEMO_ACCESS_POLICY;
  return config;
}

/** Keys that point at real upstreams. Every new upstream adds its key here. */
export function realSystemsConfigured(config: Config): string[] {
  const keys: string[] = [];
  if (Object.keys(config.spokes.kubeconfigs).length > 0) keys.push('spokes.kubeconfigs');
  if (config.inventory.hubKubeconfig) keys.push('inventory.hubKubeconfig');
  if (config.inventory.staticFile) keys.push('inventory.staticFile');
  if (config.inventory.sources.some((s) => s !== 'demo')) keys.push('inventory.sources');
  if (config.prometheus.url) keys.push('prometheus.url');
  if (config.loki.url) keys.push('loki.url');
  if (config.auth.oidc) keys.push('auth.oidc');
  return keys;
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}
