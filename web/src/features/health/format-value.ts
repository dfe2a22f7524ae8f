import type { HealthPanel } from '@fleetdeck/shared';

/** A panel value in its unit: ratios as percent, booleans as up/down, rates per second. */
export function formatValue(unit: HealthPanel['unit'], v: number): string {
  if (unit === 'ratio') return `${Math.round(v * 1000) / 10}%`;
  if (unit === 'bool') return v >= 1 ? 'up' : 'down';
  if (unit === 'perSecond') return `${Math.round(v * 100) / 100}/s`;
  return String(Math.round(v));
}
