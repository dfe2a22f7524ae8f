import { RolloutWaveParams, apiPaths, type WaveReadiness } from '@fleetdeck/shared';

import { visibilityOf } from '../access/rollout-access.ts';
import { currentContext } from '../access/rollouts/rollout-context.ts';
import { HttpProblem } from '../lib/problem.ts';
import { rolloutNotFound } from './rollout-actions.ts';
import { defineRoute, requires } from './route.ts';

export const rolloutReadinessRoute = defineRoute({
  method: 'get',
  path: apiPaths.rolloutReadiness,
  permission: requires('view'),
  summary:
    'Promotion readiness of one wave (rollout result, pod health against the success threshold, error rate and restarts, violations it introduced, the failure threshold), over what the caller may see.',
  params: RolloutWaveParams,
  handler: async ({ res, params, scope, principal, services }) => {
    const r = services.rollouts.get(params.id);
    const ctx = currentContext(services.inventory, services.config.rollouts.tenantNamespace);
    if (!r || !visibilityOf({ scope, user: principal.user }, r, ctx)) throw rolloutNotFound();
    if (!r.waves.some((w) => w.name === params.wave)) throw new HttpProblem(404, 'this rollout has no such wave');
    const body: WaveReadiness = await services.readiness.evaluate(r, params.wave, { scope, user: principal.user });
    res.json(body);
  },
});
