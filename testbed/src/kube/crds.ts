/**
 * The CustomResourceDefinitions the product reads, written by us: schemas cover the
 * fields Fleetdeck uses and keep unknown fields (the real APIs move), with a status
 * subresource wherever the real CRD has one.
 */
type Schema = Record<string, unknown>;

const obj = (properties: Record<string, Schema> = {}, extra: Schema = {}): Schema => ({
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
  properties,
  ...extra,
});
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const int = (): Schema => ({ type: 'integer' });
const arr = (items: Schema): Schema => ({ type: 'array', items });
const strMap = (): Schema => ({ type: 'object', additionalProperties: { type: 'string' } });
const intOrString = (): Schema => ({ 'x-kubernetes-int-or-string': true });

const condition = obj({
  type: str(),
  status: str({ enum: ['True', 'False', 'Unknown'] }),
  reason: str(),
  message: str(),
  lastTransitionTime: str({ format: 'date-time' }),
  observedGeneration: int(),
});
const conditions = arr(condition);
/** metav1.Condition as KubeFleet declares it: required fields, patterns, a list-map keyed by type. */
const strictCondition = obj(
  {
    type: str({
      maxLength: 316,
      pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    }),
    status: str({ enum: ['True', 'False', 'Unknown'] }),
    reason: str({ minLength: 1, maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
    message: str({ maxLength: 32768 }),
    lastTransitionTime: str({ format: 'date-time' }),
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
  },
  { required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'] },
);
const conditionMap: Schema = {
  type: 'array',
  items: strictCondition,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
};
const labelSelector = obj({
  matchLabels: strMap(),
  matchExpressions: arr(obj({ key: str(), operator: str(), values: arr(str()) })),
});

interface CrdSpec {
  group: string;
  version: string;
  /** Also served with the same schema (conversion None); `version` stays the storage version. */
  alsoServed?: string[];
  kind: string;
  plural: string;
  scope: 'Cluster' | 'Namespaced';
  spec?: Schema;
  status?: Schema;
  /** Top-level fields other than spec/status (policy reports keep their data at the top). */
  topLevel?: Record<string, Schema>;
  statusSubresource: boolean;
  shortNames?: string[];
}

function crd(s: CrdSpec): Record<string, unknown> {
  const properties: Record<string, Schema> = { ...(s.topLevel ?? {}) };
  if (s.spec) properties.spec = s.spec;
  if (s.status) properties.status = s.status;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${s.plural}.${s.group}` },
    spec: {
      group: s.group,
      scope: s.scope,
      names: {
        kind: s.kind,
        listKind: `${s.kind}List`,
        plural: s.plural,
        singular: s.kind.toLowerCase(),
        ...(s.shortNames && { shortNames: s.shortNames }),
      },
      versions: [s.version, ...(s.alsoServed ?? [])].map((name) => ({
        name,
        served: true,
        storage: name === s.version,
        schema: { openAPIV3Schema: obj(properties) },
        ...(s.statusSubresource && { subresources: { status: {} } }),
      })),
    },
  };
}

// --- KubeFleet (hub) ---------------------------------------------------------------
const FLEET_CLUSTER = 'cluster.kubernetes-fleet.io';
const FLEET_PLACEMENT = 'placement.kubernetes-fleet.io';

const stageTask = obj({ type: str({ enum: ['Approval', 'TimedWait'] }), waitTime: str() });
const strategySpec = obj({
  stages: {
    type: 'array',
    maxItems: 31,
    items: obj(
      {
        name: str({ maxLength: 63, pattern: '^[a-z0-9]+$' }),
        labelSelector,
        sortingLabelKey: str(),
        maxConcurrency: intOrString(),
        beforeStageTasks: { type: 'array', maxItems: 1, items: stageTask },
        afterStageTasks: { type: 'array', maxItems: 2, items: stageTask },
      },
      { required: ['name'] },
    ),
  },
});
const taskStatus = obj({ type: str(), approvalRequestName: str(), conditions: conditionMap });
const immutable = (field: string, maxLength: number): Schema =>
  str({ maxLength, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: `${field} is immutable` }] });
const refused = (from: string, to: string) => ({
  rule: `!(oldSelf == '${from}' && self == '${to}')`,
  message: `invalid state transition: cannot transition from ${from} to ${to}`,
});
const runSpec = obj({
  placementName: immutable('placementName', 255),
  resourceSnapshotIndex: immutable('resourceSnapshotIndex', 63),
  stagedRolloutStrategyName: immutable('stagedRolloutStrategyName', 255),
  // As upstream: the only mutable field, and not every way.
  state: str({
    enum: ['Initialize', 'Run', 'Stop'],
    default: 'Initialize',
    'x-kubernetes-validations': [refused('Initialize', 'Stop'), refused('Run', 'Initialize'), refused('Stop', 'Initialize')],
  }),
});
const runStatus = obj({
  policySnapshotIndexUsed: str(),
  policyObservedClusterCount: int(),
  resourceSnapshotIndexUsed: str(),
  appliedStrategy: obj(),
  stagedUpdateStrategySnapshot: strategySpec,
  stagesStatus: arr(
    obj({
      stageName: str(),
      startTime: str(),
      endTime: str(),
      conditions: conditionMap,
      clusters: arr(obj({ clusterName: str(), conditions: conditionMap })),
      beforeStageTaskStatus: arr(taskStatus),
      afterStageTaskStatus: arr(taskStatus),
    }),
  ),
  deletionStageStatus: obj(),
  conditions: conditionMap,
});
const approvalSpec = obj({ parentStageRollout: immutable('parentStageRollout', 255), targetStage: immutable('targetStage', 63) });
const approvalStatus = obj({ conditions: conditionMap });

// --- Rancher Fleet (hub) -------------------------------------------------------------
const FLEET = 'fleet.cattle.io';
const bool = (): Schema => ({ type: 'boolean' });
const fleetSummary = obj({
  ready: int(),
  desiredReady: int(),
  waitApplied: int(),
  errApplied: int(),
  outOfSync: int(),
  modified: int(),
  notReady: int(),
  pending: int(),
  nonReadyResources: arr(obj({ name: str(), bundleState: str(), message: str(), nonReadyStatus: arr(obj()), modifiedStatus: arr(obj()) })),
});
const fleetTarget = obj({
  name: str(),
  clusterName: str(),
  clusterSelector: labelSelector,
  clusterGroup: str(),
  clusterGroupSelector: labelSelector,
});
const nonReadyStatus = arr(obj({ apiVersion: str(), kind: str(), namespace: str(), name: str(), uid: str(), summary: obj() }));

const RANCHER_FLEET_CRDS = [
  crd({
    group: FLEET,
    version: 'v1alpha1',
    kind: 'Cluster',
    plural: 'clusters',
    scope: 'Namespaced',
    statusSubresource: true,
    spec: obj({ paused: bool(), kubeConfigSecret: str() }),
    status: obj({
      conditions,
      namespace: str(),
      display: obj({ readyBundles: str(), state: str() }),
      agent: obj({ lastSeen: str() }),
      summary: obj(),
    }),
  }),
  crd({
    group: FLEET,
    version: 'v1alpha1',
    kind: 'ClusterGroup',
    plural: 'clustergroups',
    scope: 'Namespaced',
    statusSubresource: true,
    spec: obj({ selector: labelSelector }),
    status: obj({ clusterCount: int(), nonReadyClusterCount: int(), nonReadyClusters: arr(str()), display: obj(), conditions }),
  }),
  crd({
    group: FLEET,
    version: 'v1alpha1',
    kind: 'Bundle',
    plural: 'bundles',
    scope: 'Namespaced',
    statusSubresource: true,
    spec: obj({
      paused: bool(),
      rolloutStrategy: obj({
        maxUnavailable: intOrString(),
        maxUnavailablePartitions: intOrString(),
        autoPartitionSize: intOrString(),
        autoPartitionThreshold: intOrString(),
        maxNew: int(),
        partitions: arr(
          obj({
            name: str(),
            maxUnavailable: intOrString(),
            clusterSelector: labelSelector,
            clusterName: str(),
            clusterGroup: str(),
            clusterGroupSelector: labelSelector,
          }),
        ),
      }),
      targets: arr(fleetTarget),
      resources: arr(obj({ name: str(), content: str(), encoding: str() })),
    }),
    status: obj({
      summary: fleetSummary,
      partitions: arr(obj({ name: str(), count: int(), maxUnavailable: int(), unavailable: int(), summary: fleetSummary })),
      display: obj({ readyClusters: str(), state: str() }),
      maxUnavailable: int(),
      maxUnavailablePartitions: int(),
      unavailable: int(),
      unavailablePartitions: int(),
      observedGeneration: int(),
      conditions,
    }),
  }),
  crd({
    group: FLEET,
    version: 'v1alpha1',
    kind: 'BundleDeployment',
    plural: 'bundledeployments',
    scope: 'Namespaced',
    statusSubresource: true,
    spec: obj({ stagedDeploymentID: str(), deploymentID: str(), paused: bool(), options: obj(), stagedOptions: obj() }),
    status: obj({
      appliedDeploymentID: str(),
      ready: bool(),
      nonModified: bool(),
      nonReadyStatus,
      modifiedStatus: arr(obj()),
      display: obj({ state: str(), message: str(), error: bool(), deployed: str(), monitored: str() }),
      conditions,
    }),
  }),
  crd({
    group: FLEET,
    version: 'v1alpha1',
    kind: 'GitRepo',
    plural: 'gitrepos',
    scope: 'Namespaced',
    statusSubresource: true,
    spec: obj({
      repo: str(),
      branch: str(),
      revision: str(),
      paths: arr(str()),
      targets: arr(fleetTarget),
      paused: bool(),
      forceSyncGeneration: int(),
      pollingInterval: str(),
      correctDrift: obj(),
    }),
    status: obj({
      commit: str(),
      updateGeneration: int(),
      gitJobStatus: str(),
      readyClusters: int(),
      desiredReadyClusters: int(),
      display: obj({ readyBundleDeployments: str(), state: str(), message: str(), error: bool() }),
      summary: fleetSummary,
      resources: arr(obj()),
      conditions,
    }),
  }),
];

// --- Argo CD (hub) -------------------------------------------------------------------
const ARGO = 'argoproj.io';
const argoSource = obj({ repoURL: str(), path: str(), targetRevision: str(), chart: str() });
/** As upstream: Application has NO status subresource (its API server writes `operation` and status in one update). */
const ARGOCD_CRDS = [
  crd({
    group: ARGO,
    version: 'v1alpha1',
    kind: 'Application',
    plural: 'applications',
    scope: 'Namespaced',
    statusSubresource: false,
    shortNames: ['app', 'apps'],
    spec: obj(
      {
        project: str(),
        source: argoSource,
        sources: arr(argoSource),
        destination: obj({ server: str(), name: str(), namespace: str() }),
        syncPolicy: obj({ automated: obj({ prune: bool(), selfHeal: bool() }) }),
      },
      { required: ['destination', 'project'] },
    ),
    status: obj({
      sync: obj({ status: str(), revision: str(), revisions: arr(str()) }),
      health: obj({ status: str(), message: str() }),
      operationState: obj({ phase: str(), startedAt: str(), finishedAt: str(), message: str(), operation: obj(), syncResult: obj() }),
      history: arr(obj({ id: int(), revision: str(), deployedAt: str() })),
      reconciledAt: str(),
      conditions: arr(obj({ type: str(), message: str(), lastTransitionTime: str() })),
      resources: arr(obj()),
    }),
    topLevel: { operation: obj({ initiatedBy: obj({ username: str(), automated: bool() }), sync: obj() }) },
  }),
  crd({
    group: ARGO,
    version: 'v1alpha1',
    kind: 'ApplicationSet',
    plural: 'applicationsets',
    scope: 'Namespaced',
    statusSubresource: true,
    shortNames: ['appset', 'appsets'],
    spec: obj({ generators: arr(obj()), template: obj(), strategy: obj({ type: str(), rollingSync: obj({ steps: arr(obj()) }) }) }),
    status: obj({ conditions: arr(obj()), applicationStatus: arr(obj()), resources: arr(obj()) }),
  }),
  crd({
    group: ARGO,
    version: 'v1alpha1',
    kind: 'AppProject',
    plural: 'appprojects',
    scope: 'Namespaced',
    statusSubresource: false,
    shortNames: ['appproj', 'appprojs'],
    spec: obj({ sourceRepos: arr(str()), destinations: arr(obj()), sourceNamespaces: arr(str()) }),
    status: obj(),
  }),
];

export const HUB_CRDS = [
  crd({
    group: FLEET_CLUSTER,
    version: 'v1beta1',
    alsoServed: ['v1'],
    kind: 'MemberCluster',
    plural: 'memberclusters',
    scope: 'Cluster',
    statusSubresource: true,
    shortNames: ['mc'],
    spec: obj({ identity: obj({ kind: str(), name: str(), namespace: str(), apiGroup: str() }), heartbeatPeriodSeconds: int() }),
    status: obj({
      conditions,
      properties: { type: 'object', additionalProperties: obj({ value: str(), observationTime: str() }) },
      resourceUsage: obj({ capacity: obj(), allocatable: obj(), available: obj(), observationTime: str() }),
      agentStatus: arr(obj({ type: str(), conditions, lastReceivedHeartbeat: str() })),
    }),
  }),
  ...(['Cluster', 'Namespaced'] as const).flatMap((scope) => {
    const prefix = scope === 'Cluster' ? 'Cluster' : '';
    const lower = prefix.toLowerCase();
    return [
      crd({
        group: FLEET_PLACEMENT,
        version: 'v1beta1',
        alsoServed: ['v1'],
        kind: `${prefix}StagedUpdateStrategy`,
        plural: `${lower}stagedupdatestrategies`,
        scope,
        statusSubresource: false,
        spec: strategySpec,
      }),
      crd({
        group: FLEET_PLACEMENT,
        version: 'v1beta1',
        alsoServed: ['v1'],
        kind: `${prefix}StagedUpdateRun`,
        plural: `${lower}stagedupdateruns`,
        scope,
        statusSubresource: true,
        spec: runSpec,
        status: runStatus,
      }),
      crd({
        group: FLEET_PLACEMENT,
        version: 'v1beta1',
        alsoServed: ['v1'],
        kind: `${prefix}ApprovalRequest`,
        plural: `${lower}approvalrequests`,
        scope,
        statusSubresource: true,
        spec: approvalSpec,
        status: approvalStatus,
      }),
    ];
  }),
  // --- Rancher Fleet (hub) ---------------------------------------------------------
  ...RANCHER_FLEET_CRDS,
  ...ARGOCD_CRDS,
];

// --- Policy engines (spokes) -----------------------------------------------------------
/** Constraint kinds the testbed installs; real clusters generate them from ConstraintTemplates. */
export const GATEKEEPER_CONSTRAINT_KINDS = ['K8sRequiredLabels', 'K8sAllowedRepos', 'K8sContainerLimits'] as const;

const constraintStatus = obj({
  auditTimestamp: str(),
  totalViolations: int(),
  violations: arr(
    obj({ enforcementAction: str(), kind: str(), namespace: str(), name: str(), message: str(), group: str(), version: str() }),
  ),
  byPod: arr(obj()),
});
const policyReportFields = {
  scope: obj({ kind: str(), name: str(), namespace: str(), apiVersion: str() }),
  summary: obj({ pass: int(), fail: int(), warn: int(), error: int(), skip: int() }),
  results: arr(
    obj({
      policy: str(),
      rule: str(),
      result: str({ enum: ['pass', 'fail', 'warn', 'error', 'skip'] }),
      severity: str(),
      category: str(),
      message: str(),
      source: str(),
      timestamp: obj({ seconds: int(), nanos: int() }),
      resources: arr(obj({ apiVersion: str(), kind: str(), name: str(), namespace: str(), uid: str() })),
    }),
  ),
};

/**
 * A constraint kind installed on every spoke but used only on prod-eu-west, where one
 * constraint has more violations than Gatekeeper lists (143, 20 shown).
 */
export const OVER_CAP_CONSTRAINT_KIND = 'K8sPSPPrivilegedContainer';

const templateSpec = obj({
  crd: obj({ spec: obj({ names: obj({ kind: str() }) }) }),
  targets: arr(obj({ target: str(), rego: str() })),
});
const kyvernoSpec = obj({
  validationFailureAction: str(),
  background: { type: 'boolean' },
  rules: arr(obj({ name: str(), match: obj(), validate: obj({ failureAction: str(), message: str(), pattern: obj() }) })),
});
const kyvernoStatus = obj({ ready: { type: 'boolean' }, conditions });

/** Gatekeeper templates, Kyverno policies and OpenReports: what coverage and newer Kyverno versions bring. */
const POLICY_ENGINE_CRDS = [
  crd({
    group: 'constraints.gatekeeper.sh',
    version: 'v1beta1',
    kind: OVER_CAP_CONSTRAINT_KIND,
    plural: OVER_CAP_CONSTRAINT_KIND.toLowerCase(),
    scope: 'Cluster',
    statusSubresource: true,
    spec: obj({ enforcementAction: str(), match: obj(), parameters: obj() }),
    status: constraintStatus,
  }),
  crd({
    group: 'templates.gatekeeper.sh',
    version: 'v1',
    kind: 'ConstraintTemplate',
    plural: 'constrainttemplates',
    scope: 'Cluster',
    statusSubresource: true,
    spec: templateSpec,
    status: obj({ created: { type: 'boolean' } }),
  }),
  crd({
    group: 'kyverno.io',
    version: 'v1',
    kind: 'ClusterPolicy',
    plural: 'clusterpolicies',
    scope: 'Cluster',
    statusSubresource: true,
    spec: kyvernoSpec,
    status: kyvernoStatus,
  }),
  crd({
    group: 'kyverno.io',
    version: 'v1',
    kind: 'Policy',
    plural: 'policies',
    scope: 'Namespaced',
    statusSubresource: true,
    spec: kyvernoSpec,
    status: kyvernoStatus,
  }),
  crd({
    group: 'openreports.io',
    version: 'v1alpha1',
    kind: 'Report',
    plural: 'reports',
    scope: 'Namespaced',
    statusSubresource: false,
    topLevel: policyReportFields,
  }),
  crd({
    group: 'openreports.io',
    version: 'v1alpha1',
    kind: 'ClusterReport',
    plural: 'clusterreports',
    scope: 'Cluster',
    statusSubresource: false,
    topLevel: policyReportFields,
  }),
];

export const SPOKE_CRDS = [
  ...POLICY_ENGINE_CRDS,
  ...GATEKEEPER_CONSTRAINT_KINDS.map((kind) =>
    crd({
      group: 'constraints.gatekeeper.sh',
      version: 'v1beta1',
      kind,
      plural: kind.toLowerCase(),
      scope: 'Cluster',
      statusSubresource: true,
      spec: obj({ enforcementAction: str(), match: obj(), parameters: obj() }),
      status: constraintStatus,
    }),
  ),
  crd({
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    kind: 'PolicyReport',
    plural: 'policyreports',
    scope: 'Namespaced',
    statusSubresource: false,
    topLevel: policyReportFields,
  }),
  crd({
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    kind: 'ClusterPolicyReport',
    plural: 'clusterpolicyreports',
    scope: 'Cluster',
    statusSubresource: false,
    topLevel: policyReportFields,
  }),
];
