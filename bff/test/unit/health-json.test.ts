import type { FleetHealthPanels } from '@fleetdeck/shared';
import { describe, expect, it } from 'vitest';

import { asciiJson } from '../../src/lib/ascii-json.ts';
import { fleetPanelsJson as parts } from '../../src/routes/health-json.ts';
import { defaultHealthConfig } from '../../src/sources/health/panel-config.ts';
import { healthPanelDefs } from '../../src/sources/health/panel-defs.ts';

const defs = healthPanelDefs(defaultHealthConfig());

function panelSet(): FleetHealthPanels {
  const clusters = Array.from({ length: 40 }, (_, i) => `client-${i % 2 ? 'a' : 'b'}-prod-${String(i).padStart(3, '0')}`);
  return {
    window: { range: '24h', from: '2026-11-26T06:00:00.000Z', to: '2026-11-27T06:00:00.000Z', step: 300 },
    at: '2026-11-27T06:00:01.000Z',
    clusters: clusters.length,
    panels: defs.map((def, p) => ({
      def,
      band: Array.from({ length: 30 }, (_, i) => ({ t: 1_700_000_000 + i * 300, p50: i / 7, p95: i / 3, min: -0, max: 1e21, n: 40 })),
      worst: clusters.slice(0, 3).map((cluster) => ({ cluster, points: [[1_700_000_000, 0.5] as [number, number], [1_700_000_300, p]] })),
      table: clusters.map((cluster, i) => ({ cluster, value: i * 0.01, at: 1_700_008_700 })),
      tableSize: clusters.length,
      warnings: p === 0 ? ['Thanos: partial response — store “eu-1” down'] : [],
      // An optional member left undefined: JSON.stringify writes no member for it, and neither may this.
      errors: p === 1 ? [{ source: 'prometheus', cluster: undefined, reason: 'timeout über 20 s' }] : [],
    })),
    errors: [],
  };
}

/** The bytes the route writes, as text (ASCII, so latin1 is exact). */
const fleetPanelsJson = (body: FleetHealthPanels) => Buffer.concat(parts(body)).toString('latin1');

describe('fleetPanelsJson', () => {
  it('writes the text res.json would: the same bytes, ASCII, em dashes in the help texts escaped', () => {
    const body = panelSet();
    const text = fleetPanelsJson(body);
    expect(text).toBe(asciiJson(body));
    // Each big part (def, band, worst, table) is its own piece, the very same bytes the next time.
    const [once, twice] = [parts(body), parts(body)];
    expect(once.filter((b) => twice.includes(b))).toHaveLength(4 * body.panels.length);
    expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    expect(text).toContain('\\u2014');
    expect(JSON.parse(text)).toStrictEqual(JSON.parse(JSON.stringify(body)));
  });

  it('writes each panel part once: a second set over the same parts gives the same text, other parts their own', () => {
    const body = panelSet();
    const first = fleetPanelsJson(body);
    // The route builds new panel objects (their warnings made safe) around the same parts each request.
    const again = { ...body, at: '2026-11-27T06:00:02.000Z', panels: body.panels.map((p) => ({ ...p, warnings: [...p.warnings] })) };
    expect(fleetPanelsJson(again)).toBe(asciiJson(again));
    expect(fleetPanelsJson(again)).toBe(first.replace('06:00:01', '06:00:02'));
    // Written once: a part changed in place afterwards (the contract forbids it) still reads as first written.
    body.panels[0]!.table[0]!.value = 999;
    expect(fleetPanelsJson(again)).not.toContain('999');
    // New parts (another answer) are written from themselves, never from what an older set said.
    const changed = { ...body, panels: body.panels.map((p) => ({ ...p, table: p.table.map((r) => ({ ...r, value: r.value + 1 })) })) };
    expect(fleetPanelsJson(changed)).toBe(asciiJson(changed));
    expect(fleetPanelsJson(changed)).not.toBe(first);
  });
});
