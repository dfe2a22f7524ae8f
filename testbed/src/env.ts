/**
 * What `testbed up` hands to tests and to `npm run start:local`, written to
 * `.testbed/env.json`. Everything is on loopback; credentials are files under the run dir.
 */
export interface KubeUserCreds {
  /** Client certificate (PEM file path) whose CN is the user and O the groups. */
  certFile: string;
  keyFile: string;
  user: string;
  groups: string[];
}

export interface ApiServerEnv {
  name: string;
  /** `hub` holds the fleet objects; spokes are member clusters. */
  role: 'hub' | 'spoke';
  url: string;
  /** CA bundle that signed the API server's serving certificate. */
  caFile: string;
  /** A kubeconfig for the BFF's own identity (may impersonate; nothing more). */
  bffKubeconfig: string;
  /** A kubeconfig for the setup admin (system:masters). Setup and tests of setup only. */
  adminKubeconfig: string;
  etcdPrefix: string;
}

export interface TestbedEnv {
  runDir: string;
  startedAt: string;
  versions: Record<string, string>;
  etcd: { url: string };
  hub: ApiServerEnv;
  spokes: ApiServerEnv[];
  /** The CA that signs client certificates all API servers trust. */
  clientCa: { certFile: string; keyFile: string };
  users: { bff: KubeUserCreds; admin: KubeUserCreds };
  prometheus: { url: string };
  loki: { url: string; multiTenant: boolean; standIn: true };
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    redirectUris: string[];
    users: { user: string; password: string; groups: string[] }[];
  };
  fleetController: { secondsPerCluster: number };
  /**
   * Test-only control: POST /restart/<api server name> stops and restarts it on the same
   * address; POST /idp/groups {user, groups} changes a user's groups at the OIDC provider,
   * POST /idp/disabled {user, disabled} disables one (sign-in and refresh refused).
   */
  control: { url: string };
  /** PIDs of process groups the testbed started; `down` kills them. */
  pids: number[];
}
