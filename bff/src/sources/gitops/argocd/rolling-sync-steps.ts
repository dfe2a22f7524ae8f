import type { AppSetView, AppView, StepView } from './rolling-sync-objects.ts';

/**
 * RollingSync steps as people see them: which step an Application is in, what a step is
 * called, and its update limit — read as Argo CD's ApplicationSet controller reads them
 * (argo-cd applicationset/progressivesync/progressive_sync.go).
 */

/** Every expression must hold; `In` needs the label, `NotIn` passes without it; other operators never match. */
export function stepMatches(step: StepView, labels: Readonly<Record<string, string>>): boolean {
  return step.matchExpressions.every((e) => {
    const value = labels[e.key];
    if (e.operator === 'In') return value !== undefined && e.values.includes(value);
    if (e.operator === 'NotIn') return value === undefined || !e.values.includes(value);
    return false;
  });
}

/**
 * The 0-based step of an app, or -1 for none: the controller's own record
 * (`applicationStatus[].step`, 1-based) when it has one, else the first step whose
 * expressions hold (what the controller will record).
 */
export function stepOfApp(set: AppSetView, app: Pick<AppView, 'name' | 'labels'>): number {
  const recorded = set.applicationStatus.find((s) => s.application === app.name)?.step;
  if (recorded !== undefined && recorded >= 1 && recorded <= set.steps.length) return recorded - 1;
  if (recorded === -1) return -1;
  return set.steps.findIndex((s) => stepMatches(s, app.labels));
}

/** `maxUpdate: 0` (or "0%"): Argo CD never syncs the step by itself — its only approval gate. */
export const isGate = (step: StepView): boolean => step.maxUpdate === 0 || step.maxUpdate === '0%';

/** The step's limit as the rollout model shows it (positive int or "N%"); absent is upstream's default, 100%. */
export function concurrencyOf(step: StepView): number | string | undefined {
  const m = step.maxUpdate;
  if (m === undefined) return '100%';
  if (typeof m === 'number') return m > 0 ? m : undefined;
  return /^\d+%$/.test(m) && m !== '0%' ? m : undefined;
}

/** `env=production`, `env in (a,b)`, `tier!=edge`, `tier notin (a,b)`, joined by ", ". */
export function selectorText(step: StepView): string {
  if (step.matchExpressions.length === 0) return 'every Application';
  return step.matchExpressions
    .map((e) => {
      const one = e.values.length === 1;
      if (e.operator === 'In') return one ? `${e.key}=${e.values[0]}` : `${e.key} in (${e.values.join(',')})`;
      if (e.operator === 'NotIn') return one ? `${e.key}!=${e.values[0]}` : `${e.key} notin (${e.values.join(',')})`;
      return `${e.key} ${e.operator} (${e.values.join(',')})`;
    })
    .join(', ');
}

const NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

/**
 * Wave names, unique per set: the value a step selects when it has one `In` expression
 * (`production`, `staging-qa` for two values) — the same vocabulary as KubeFleet stage
 * names, so approver rules (`stages` globs) read alike; `step-N` otherwise.
 */
export function waveNames(steps: readonly StepView[]): string[] {
  const candidate = steps.map((s, i) => {
    const ins = s.matchExpressions.filter((e) => e.operator === 'In');
    const name = ins.length === 1 && s.matchExpressions.length === 1 ? ins[0]!.values.join('-').toLowerCase() : '';
    return NAME.test(name) && !/^step-\d+$/.test(name) ? name : `step-${i + 1}`;
  });
  return candidate.map((name, i) => (candidate.indexOf(name) === i && candidate.lastIndexOf(name) === i ? name : `step-${i + 1}`));
}
