import { z } from 'zod';

import { AccessPolicy } from '../access/policy.ts';
import { PromotionConfig } from '../promotion/promotion-config.ts';
import { HealthConfig } from '../sources/health/panel-config.ts';

/** "a=x,b=y" from an env var, as a mapping. */
function parsePairs(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(',')
      .filter(Boolean)
      .map((pair): [string, string] => {
        const eq = pair.indexOf('=');
        return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      }),
  );
}

/** Booleans arrive from env vars as text: accept only true/false, never "any non-empty string". */
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const Config = z.strictObject({
  /** `demo` serves the embedded simulated fleet with a persona picker; `real` talks to upstreams. */
  mode: z.enum(['demo', 'real']).default('demo'),
  server: z
    .strictObject({
      port: z.coerce.number().int().min(0).max(65535).default(8080),
      // Loopback by default: the demo lets anyone sign in as a Platform Admin.
      host: z.string().min(1).default('127.0.0.1'),
      trustProxy: Flag.default(false),
      /** Serve /metrics on this port only (e.g. one the Service does not expose), not on `port`. */
      metricsPort: z.coerce.number().int().min(0).max(65535).optional(),
      /** Connections still open this long after SIGTERM are closed. */
      shutdownGraceSeconds: z.coerce.number().min(0).max(300).default(10),
    })
    .prefault({}),
  session: z
    .strictObject({
      /** Seals the session cookie. Required outside demo mode; at least 32 characters. */
      secret: z.string().min(32, 'must be at least 32 characters').optional(),
      maxAgeSeconds: z.coerce
        .number()
        .int()
        .positive()
        .default(8 * 3600),
      idleTimeoutSeconds: z.coerce.number().int().positive().default(3600),
      /**
       * Real mode: re-read the person's groups from the identity provider (refresh-token
       * grant) this often, so a group removed there takes effect within it. Sessions
       * without a refresh token end this long after sign-in. Default: idleTimeoutSeconds.
       */
      groupsRefreshSeconds: z.coerce.number().int().positive().optional(),
      cookieName: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default('fleetdeck_session'),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
  web: z
    .strictObject({
      /** The built SPA; served with a fallback to index.html for client-side routes. */
      staticDir: z.string().optional(),
    })
    .prefault({}),
  demo: z
    .strictObject({
      /** Extra generated clusters on top of the brief's demo fleet, for scale checks. */
      syntheticClusters: z.coerce.number().int().min(0).max(20000).default(0),
      /** Healthy demo clusters heartbeat this often (0: never), so the demo is live. */
      heartbeatSeconds: z.coerce.number().min(0).max(3600).default(30),
      /** Serve the demo (where anyone can sign in as a Platform Admin) on a non-loopback address. */
      public: Flag.default(false),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** OpenID Connect sign-in (authorization code + PKCE). Required in real mode. */
      oidc: z
        .strictObject({
          issuerUrl: z.url(),
          clientId: z.string().min(1),
          clientSecret: z.string().min(1).optional(),
          scopes: z.string().default('openid profile email groups'),
          /** The ID-token claim holding the person's groups. */
          groupsClaim: z.string().min(1).default('groups'),
          /** The claim that names the person (falls back to `sub`). */
          userClaim: z.string().min(1).default('email'),
          /** This BFF's callback as the provider knows it: <public URL>/api/auth/callback. */
          redirectUrl: z.url(),
          postLogoutRedirectUrl: z.url().optional(),
          /** Plain-HTTP issuers are refused unless this is set (loopback test providers only). */
          allowInsecureHttp: Flag.default(false),
        })
        .optional(),
    })
    .prefault({}),
  inventory: z
    .strictObject({
      /** Where clusters come from; several are merged (first wins on a name clash). */
      sources: z
        .preprocess(
          (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v),
          z.array(z.enum(['demo', 'kubefleet', 'rancher-fleet', 'static'])).min(1),
        )
        .default(['demo']),
      /** The static fleet file (YAML), for the `static` source. */
      staticFile: z.string().min(1).optional(),
      /** The hub's kubeconfig (the BFF's own identity); in-cluster config when unset. */
      hubKubeconfig: z.string().min(1).optional(),
      /** The label that names a cluster's tenant, and its environment. */
      tenantLabel: z.string().min(1).default('client'),
      environmentLabel: z.string().min(1).default('env'),
    })
    .prefault({}),
  spokes: z
    .strictObject({
      /** cluster name → kubeconfig of the BFF's identity there (it only impersonates and lists namespace names). */
      kubeconfigs: z
        .preprocess((v: unknown) => (typeof v === 'string' ? parsePairs(v) : v), z.record(z.string(), z.string().min(1)))
        .default({}),
    })
    .prefault({}),
  /** The health panels: job and label names, extra panels (see sources/health/panel-config.ts). */
  health: HealthConfig,
  prometheus: z
    .strictObject({
      /** Prometheus or Thanos Query. Without it (outside demo mode) health panels say "not configured". */
      url: z.url().optional(),
      /** Thanos Query: also send dedup and partial_response. */
      thanos: Flag.default(false),
      timeoutSeconds: z.coerce.number().positive().max(120).default(10),
      /**
       * Ask for gzip answers. Off (`Accept-Encoding: identity`) for a Prometheus or Thanos
       * Query on the BFF's own network: compressing costs both sides CPU and saves nothing there.
       */
      compression: Flag.default(true),
    })
    .prefault({}),
  loki: z
    .strictObject({
      /** Loki's HTTP API (query frontend or gateway). Without it (outside demo mode) the log routes answer 503. */
      url: z.url().optional(),
      timeoutSeconds: z.coerce.number().positive().max(120).default(10),
      /** Bigger answers are refused with 502 (a runaway query must not fill the BFF's memory). */
      maxBytes: z.coerce
        .number()
        .int()
        .positive()
        .max(256 * 1024 * 1024)
        .default(16 * 1024 * 1024),
      /**
       * Multi-tenant Loki: tenant → X-Scope-OrgID. A person's queries carry the org ids of
       * the tenants whose clusters they may read (joined with "|"); clusters of a tenant
       * without one cannot be read. Unset: a single-tenant Loki, no header.
       */
      tenantOrgIds: z
        .preprocess(
          (v: unknown) => (typeof v === 'string' ? parsePairs(v) : v),
          z.record(z.string().min(1), z.string().regex(/^[A-Za-z0-9!._*'()-]{1,150}$/, 'a Loki org id (no "|")')),
        )
        .optional(),
    })
    .prefault({}),
  rollouts: z
    .strictObject({
      /**
       * Where rollouts come from. Unset: `demo` in demo mode; in real mode the rollout
       * sources matching the inventory's (kubefleet → KubeFleet staged update runs,
       * rancher-fleet → Fleet bundles, demo → the demo's runs). See `rolloutSources`.
       */
      sources: z
        .preprocess(
          (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v),
          z.array(z.enum(['demo', 'kubefleet', 'rancher-fleet', 'argocd'])),
        )
        .optional(),
      /** The hub namespace of a tenant's own (namespaced) runs; `{tenant}` stands for the tenant id. */
      tenantNamespace: z
        .string()
        .refine((t) => t.split('{tenant}').length === 2, 'must contain {tenant} exactly once')
        .refine((t) => /^[a-z0-9-]*$/.test(t.replace('{tenant}', '')), 'must be a namespace name around {tenant}')
        .default('fleet-{tenant}'),
    })
    .prefault({}),
  gitops: z
    .strictObject({
      /**
       * Where GitOps deliveries come from. Unset: `demo` in demo mode; in real mode
       * `rancher-fleet` when the inventory reads Fleet, else none. `argocd` reads Argo CD
       * Applications and ApplicationSets on the hub. See `gitopsSources`.
       */
      sources: z
        .preprocess(
          (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v),
          z.array(z.enum(['demo', 'rancher-fleet', 'argocd'])),
        )
        .optional(),
      argocd: z
        .strictObject({
          /** The namespaces Applications and ApplicationSets live in (Argo CD's own, and any apps-in-any-namespace ones). Unset: all. */
          namespaces: z
            .preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v), z.array(z.string().min(1)))
            .optional(),
          /** Argo CD project → tenant id (an app's tenant is its project's, else its namespace's, else none). */
          projectTenants: z
            .preprocess((v: unknown) => (typeof v === 'string' ? parsePairs(v) : v), z.record(z.string(), z.string().min(1)))
            .default({}),
          /** Application namespace → tenant id. */
          namespaceTenants: z
            .preprocess((v: unknown) => (typeof v === 'string' ? parsePairs(v) : v), z.record(z.string(), z.string().min(1)))
            .default({}),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Promotion gates: readiness checks, the failure threshold's action, notifications, MFA for approvals. */
  promotion: PromotionConfig,
  accessPolicy: AccessPolicy.optional(),
});
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

export type RolloutSourceName = NonNullable<Config['rollouts']['sources']>[number];

/** The rollout sources in effect: the configured ones, else those that follow from the mode and the inventory. */
export function rolloutSources(config: Config): RolloutSourceName[] {
  if (config.rollouts.sources) return [...new Set(config.rollouts.sources)];
  if (config.mode === 'demo') return ['demo'];
  return config.inventory.sources.flatMap((s): RolloutSourceName[] => (s === 'static' ? [] : [s]));
}

export type GitopsSourceName = NonNullable<Config['gitops']['sources']>[number];

/** The delivery sources in effect: the configured ones, else those that follow from the mode and the inventory. */
export function gitopsSources(config: Config): GitopsSourceName[] {
  if (config.gitops.sources) return [...new Set(config.gitops.sources)];
  if (config.mode === 'demo') return ['demo'];
  return config.inventory.sources.includes('rancher-fleet') ? ['rancher-fleet'] : [];
}
