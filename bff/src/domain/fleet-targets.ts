import { compileSelector, parseSelector, type FleetCustomization, type FleetTargetRule, type Selectable } from '@fleetdeck/shared';

/**
 * Fleet's WHAT × WHERE, pure: which clusters a GitRepo's `targets[]` allow (each entry is an
 * allow-list; a cluster gets a BundleDeployment only if it matches one), and which
 * `targetCustomizations` entry (fleet.yaml; first match wins, `doNotDeploy` skips) applies
 * to each allowed cluster. Customizations never add clusters.
 *
 * Matching follows Fleet's own matcher (internal/cmd/controller/target/matcher): every
 * criterion an entry sets must hold, the group criteria for one and the same group of the
 * cluster; an entry setting none matches nothing; `{}` as a selector matches everything;
 * `clusterName` also matches Rancher's display-name label.
 */

export interface FleetLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** A `targets[]` or `targetCustomizations[]` entry's cluster matching fields, as Fleet defines them. */
export interface FleetTargetSpec {
  name?: string;
  clusterName?: string;
  clusterSelector?: FleetLabelSelector;
  clusterGroup?: string;
  clusterGroupSelector?: FleetLabelSelector;
}

export interface FleetCustomizationSpec extends FleetTargetSpec {
  name: string;
  doNotDeploy?: boolean;
  /** What it sets, for people: "helm.values.replicas: 3", "yaml.overlays: production". */
  options: string[];
}

/** A cluster as target matching sees it: Fleet Cluster name and labels, and the ClusterGroups it belongs to. */
export interface PlacementCluster {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** As the inventory knows it (the Fleet page's `group:` also matches a tenant): only to check the selector text. */
  tenant?: string;
  /** The inventory's groups of the cluster (ClusterGroups and `fleetdeck.dev/groups`): only to check the selector text. */
  groups?: readonly string[];
}
export interface PlacementGroup {
  name: string;
  labels: Readonly<Record<string, string>>;
  selector?: FleetLabelSelector;
}

export interface FleetPlacementResult {
  targets: FleetTargetRule[];
  customizations: FleetCustomization[];
  /** Per allowed cluster (not skipped by doNotDeploy): the customization that applied and its options. */
  byCluster: Map<string, { customization?: string; options: string[] }>;
}

/** What Fleet uses when a GitRepo sets no targets (gitops reconciler `targetsOrDefault`). */
export const DEFAULT_FLEET_TARGETS: readonly FleetTargetSpec[] = [{ name: 'default', clusterGroup: 'default' }];
const DISPLAY_NAME_LABEL = 'management.cattle.io/cluster-display-name';

/** Kubernetes label selector semantics (`metav1.LabelSelectorAsSelector`); an invalid one matches nothing (Fleet refuses it). */
export function labelSelectorMatches(sel: FleetLabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    if (!e.key) return false;
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (values.length === 0 || !has || !values.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (values.length === 0) return false;
        if (has && values.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The groups whose selector selects the cluster; a group without a selector selects nothing (Fleet skips it). */
export function groupsOfCluster(cluster: PlacementCluster, groups: readonly PlacementGroup[]): PlacementGroup[] {
  return groups.filter((g) => g.selector !== undefined && labelSelectorMatches(g.selector, cluster.labels));
}

function criteriaCount(t: FleetTargetSpec): number {
  return [t.clusterName, t.clusterGroup].filter((s) => s).length + [t.clusterSelector, t.clusterGroupSelector].filter(Boolean).length;
}

/**
 * Whether one entry matches a cluster. Fleet evaluates the entry once per group of the
 * cluster (group name and group labels together), or once with no group at all when the
 * cluster is in none — so `clusterGroupSelector: {}` matches a cluster in no group.
 */
export function targetMatches(t: FleetTargetSpec, cluster: PlacementCluster, clusterGroups: readonly PlacementGroup[]): boolean {
  if (criteriaCount(t) === 0) return false;
  if (t.clusterName && t.clusterName !== cluster.name && cluster.labels[DISPLAY_NAME_LABEL] !== t.clusterName) return false;
  if (t.clusterSelector && !labelSelectorMatches(t.clusterSelector, cluster.labels)) return false;
  const viaGroup = (name: string, labels: Readonly<Record<string, string>>) =>
    (!t.clusterGroup || t.clusterGroup === name) && (!t.clusterGroupSelector || labelSelectorMatches(t.clusterGroupSelector, labels));
  if (clusterGroups.length === 0) return viaGroup('', {});
  return clusterGroups.some((g) => viaGroup(g.name, g.labels));
}

// ---- our selector syntax (shared/src/selectors/selector.ts) ----

function labelTerms(sel: FleetLabelSelector): string[] | undefined {
  const terms = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const list = `(${(e.values ?? []).join(',')})`;
    // A bare key with "/" would read as `group/glob`: say `label:` then.
    const bare = (k: string) => (k.includes('/') ? `label:${k}` : k);
    const term = { In: `${e.key} in ${list}`, NotIn: `${e.key} notin ${list}`, Exists: bare(e.key ?? ''), DoesNotExist: `!${e.key}` }[
      e.operator ?? ''
    ];
    if (term === undefined || !e.key) return undefined;
    terms.push(term);
  }
  return terms;
}

/**
 * The entry in our selector syntax, and whether that text is only a superset (what the
 * syntax cannot say: an OR over several groups, an entry that matches nothing).
 */
function selectorText(
  t: FleetTargetSpec,
  matched: readonly PlacementCluster[],
  groupsByCluster: Map<string, PlacementGroup[]>,
): { text: string; exact: boolean } {
  const terms: string[] = [];
  let exact = criteriaCount(t) > 0;
  if (t.clusterName) {
    const byDisplay = matched.filter((c) => c.name !== t.clusterName);
    if (byDisplay.length > 0 && byDisplay.length === matched.length) terms.push(`${DISPLAY_NAME_LABEL}=${t.clusterName}`);
    else {
      terms.push(`name:${t.clusterName}`);
      exact &&= byDisplay.length === 0;
    }
  }
  if (t.clusterSelector) {
    const more = labelTerms(t.clusterSelector);
    if (more) terms.push(...more);
    else exact = false;
  }
  if (t.clusterGroup) terms.push(`group:${t.clusterGroup}`);
  else if (t.clusterGroupSelector) {
    // Name the one group it matched through, if there is exactly one.
    const via = new Set(
      matched.flatMap((c) => (groupsByCluster.get(c.name) ?? []).filter((g) => targetMatches(t, c, [g])).map((g) => g.name)),
    );
    if (via.size === 1) terms.push(`group:${[...via][0]!}`);
    else exact = false;
  }
  return { text: terms.join(','), exact };
}

/** Whether `text` parses and selects exactly `matched` out of `clusters`, as the Fleet page would. */
function selectsExactly(
  text: string,
  clusters: readonly PlacementCluster[],
  groupsByCluster: Map<string, PlacementGroup[]>,
  matched: Set<string>,
) {
  let select: (c: Selectable) => boolean;
  try {
    select = compileSelector(parseSelector(text));
  } catch {
    return false;
  }
  return clusters.every((c) => {
    const selectable: Selectable = {
      name: c.name,
      tenant: c.tenant ?? '',
      labels: { ...c.labels },
      annotations: {},
      groups: c.groups ?? (groupsByCluster.get(c.name) ?? []).map((g) => g.name),
    };
    return select(selectable) === matched.has(c.name);
  });
}

function rule(t: FleetTargetSpec, clusters: readonly PlacementCluster[], groupsByCluster: Map<string, PlacementGroup[]>) {
  const matched = clusters.filter((c) => targetMatches(t, c, groupsByCluster.get(c.name) ?? []));
  const { text, exact } = selectorText(t, matched, groupsByCluster);
  const ok = exact && selectsExactly(text, clusters, groupsByCluster, new Set(matched.map((c) => c.name)));
  return { selector: text, ...(!ok && { approximate: true as const }), clusters: matched.map((c) => c.name).sort() };
}

export function placeFleet(
  targets: readonly FleetTargetSpec[],
  customizations: readonly FleetCustomizationSpec[],
  clusters: readonly PlacementCluster[],
  groups: readonly PlacementGroup[],
): FleetPlacementResult {
  const effective = targets.length > 0 ? targets : DEFAULT_FLEET_TARGETS;
  const groupsByCluster = new Map(clusters.map((c) => [c.name, groupsOfCluster(c, groups)]));
  const targetRules: FleetTargetRule[] = effective.map((t) => ({
    ...(t.name && { name: t.name }),
    ...rule(t, clusters, groupsByCluster),
  }));
  const allowed = new Set(targetRules.flatMap((r) => r.clusters));
  const applied: string[][] = customizations.map(() => []);
  const byCluster: FleetPlacementResult['byCluster'] = new Map();
  for (const c of clusters) {
    if (!allowed.has(c.name)) continue;
    const at = customizations.findIndex((k) => targetMatches(k, c, groupsByCluster.get(c.name) ?? []));
    const first = customizations[at];
    if (first) applied[at]!.push(c.name);
    if (first?.doNotDeploy) continue;
    byCluster.set(c.name, first ? { customization: first.name, options: first.options } : { options: [] });
  }
  const customizationRules: FleetCustomization[] = customizations.map((k, i) => {
    const { selector, approximate } = rule(k, clusters, groupsByCluster);
    return {
      name: k.name,
      selector,
      ...(approximate && { approximate }),
      options: k.options,
      doNotDeploy: k.doNotDeploy === true,
      clusters: applied[i]!.sort(),
    };
  });
  return { targets: targetRules, customizations: customizationRules, byCluster };
}
