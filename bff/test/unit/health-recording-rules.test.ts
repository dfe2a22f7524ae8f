import { readFileSync } from 'node:fs';

import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { promAccess } from '../../src/access/promql/index.ts';
import { HealthConfig, defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { builtinPanelDefs, healthPanelDefs } from '../../src/sources/health/panel-defs.ts';
import {
  panelQuery,
  recordedNames,
  recordedQueries,
  recordingRulesFile,
  withRecordedHelp,
} from '../../src/sources/health/recording-rules.ts';

const RULES_FILE = new URL('../../../deploy/prometheus/fleetdeck-recording-rules.yaml', import.meta.url);

const parses = (q: string) => {
  let error = -1;
  parser.parse(q).iterate({ enter: (ref) => void (ref.type.isError && error < 0 && (error = ref.from)) });
  return error;
};

describe('the recording rules', () => {
  const config = defaultHealthConfig();

  it('ship for operators as the generator writes them for the default settings', () => {
    expect(parse(readFileSync(RULES_FILE, 'utf8'))).toEqual(recordingRulesFile(config));
  });

  it('record each built-in panel’s per-cluster expression under a cluster:fleetdeck_… name', () => {
    const { groups } = recordingRulesFile(config);
    expect(groups).toHaveLength(1);
    const rules = groups[0]!.rules;
    const defs = builtinPanelDefs(config);
    expect(rules.map((r) => r.record)).toEqual(defs.map((d) => recordedNames(config)[d.id as keyof ReturnType<typeof recordedNames>]));
    for (const r of rules) {
      expect(r.record).toMatch(/^cluster:fleetdeck_[a-z_]+:[a-z0-9]+$/);
      expect(parses(r.expr), r.expr).toBe(-1);
    }
    for (const d of defs.filter((x) => x.id !== 'lastSync'))
      expect(
        rules.find((r) => r.expr === d.query),
        d.id,
      ).toBeDefined();
    // "Since last sync" records when that was; the panel subtracts it from time().
    const lastSync = rules.find((r) => r.record === 'cluster:fleetdeck_last_successful_sync:timestamp')!;
    expect(defs.find((d) => d.id === 'lastSync')!.query).toBe(`time() - ${lastSync.expr}`);
    expect(recordedQueries(config).get('lastSync')).toBe('time() - cluster:fleetdeck_last_successful_sync:timestamp');
  });

  it('follow the configured rate window in names and expressions', () => {
    const c = HealthConfig.parse({ rateWindow: '15m' });
    const cpu = recordingRulesFile(c).groups[0]!.rules.find((r) => r.record === 'cluster:fleetdeck_cpu_cores:rate15m');
    expect(cpu?.expr).toContain('[15m]');
  });

  it('are read for people who see whole clusters, the expressions for namespace-limited people', () => {
    const recorded = recordedQueries(config);
    const pods = builtinPanelDefs(config).find((d) => d.id === 'podHealthRatio')!;
    const whole = promAccess([{ clusters: ['a', 'b'], namespaces: '*' }]);
    const mixed = promAccess([
      { clusters: ['a'], namespaces: '*' },
      { clusters: ['b'], namespaces: ['client-a-*'] },
    ]);
    expect(panelQuery(pods, whole, recorded)).toBe('cluster:fleetdeck_pod_health:ratio');
    expect(panelQuery(pods, mixed, recorded)).toBe(pods.query);
    expect(panelQuery(pods, whole, new Map())).toBe(pods.query);
    expect(panelQuery({ id: 'extra', query: 'sum by (cluster) (x)' }, whole, recorded)).toBe('sum by (cluster) (x)');
  });

  it('are off by default; the switch takes true/false only, and names the series in the help when on', () => {
    expect(config.recordingRules).toBe(false);
    expect(HealthConfig.parse({ recordingRules: 'true' }).recordingRules).toBe(true);
    expect(HealthConfig.parse({ recordingRules: 'false' }).recordingRules).toBe(false);
    expect(() => HealthConfig.parse({ recordingRules: 'yes' })).toThrow();
    const on = HealthConfig.parse({ recordingRules: true });
    const help = withRecordedHelp(healthPanelDefs(on), on);
    expect(help.find((d) => d.id === 'memory')!.help).toContain('cluster:fleetdeck_memory_working_set:bytes');
    expect(withRecordedHelp(healthPanelDefs(config), config)).toEqual(healthPanelDefs(config));
  });
});
