import { readFileSync } from 'node:fs';

import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { promAccess } from '../../src/access/promql/index.ts';
import { HealthConfig, defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { builtinPanelDefs, healthPanelDefs } from '../../src/sources/health/panel-defs.ts';
import { BAND_FIGURES } from '../../src/sources/health/fleet-queries.ts';
import {
  RULE_GROUP,
  fleetBandNames,
  fleetBandRecords,
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
    expect(groups.map((g) => g.name)).toEqual([RULE_GROUP]);
    const rules = groups[0]!.rules.filter((r) => r.record.startsWith('cluster:'));
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

describe('the fleet band rules', () => {
  const config = HealthConfig.parse({ rateWindow: '15m' });
  const group = recordingRulesFile(config).groups[0]!;
  const fleet = { rules: group.rules.filter((r) => r.record.startsWith('fleet:')) };
  const names = recordedNames(config);

  it('record, per built-in panel, its five figures over every cluster’s recorded series, after those in the same group', () => {
    // Evaluated in order at one timestamp: each band is the figures of the per-cluster values recorded with it.
    expect(group.rules.map((r) => r.record.split(':')[0])).toEqual([
      ...Array<string>(9).fill('cluster'),
      ...Array<string>(9).fill('fleet'),
    ]);
    expect(fleet.rules.map((r) => r.record)).toEqual(
      builtinPanelDefs(config).map((d) => fleetBandNames(config)[d.id as keyof typeof names]),
    );
    for (const r of fleet.rules) {
      expect(r.record).toMatch(/^fleet:fleetdeck_[a-z_]+:[a-z0-9]+_band$/);
      expect(parses(r.expr), r.expr).toBe(-1);
      for (const f of BAND_FIGURES) expect(r.expr, r.record).toContain(`"fleetdeck_part", "${f}"`);
    }
    const cpu = fleet.rules.find((r) => r.record === 'fleet:fleetdeck_cpu_cores:rate15m_band')!;
    // Over the per-cluster rule's output, without series that carry no cluster (the enforcer's matcher leaves those out too).
    expect(cpu.expr).toContain(`quantile(0.95, (${names.cpu}{cluster!=""}))`);
    expect(cpu.expr).toContain(`min((${names.cpu}{cluster!=""}))`);
  });

  it('mirror the age panel’s figures: its p95 is the timestamps’ 5th percentile, its min their max', () => {
    const rule = fleet.rules.find((r) => r.record === fleetBandNames(config).lastSync)!;
    const s = `(${names.lastSync}{cluster!=""})`;
    expect(rule.expr).toContain(`label_replace(quantile(0.05, ${s}), "fleetdeck_part", "p95", "", "")`);
    expect(rule.expr).toContain(`label_replace(max(${s}), "fleetdeck_part", "min", "", "")`);
    expect(rule.expr).toContain(`label_replace(min(${s}), "fleetdeck_part", "max", "", "")`);
    const read = fleetBandRecords(config).get('lastSync')!;
    expect(read.series).toBe(names.lastSync);
    // The figures become ages at each step; the count stays a count.
    expect(read.query).toBe(`(time() - ${rule.record}{fleetdeck_part!="n"}) or ${rule.record}{fleetdeck_part="n"}`);
    expect(parses(read.query)).toBe(-1);
  });

  it('are read as the recorded name itself for the other panels, each with the per-cluster series it aggregates', () => {
    const records = fleetBandRecords(config);
    expect([...records.keys()].sort()).toEqual(Object.keys(names).sort());
    const cpu = records.get('cpu')!;
    expect(cpu).toEqual({ series: names.cpu, query: 'fleet:fleetdeck_cpu_cores:rate15m_band' });
  });
});
