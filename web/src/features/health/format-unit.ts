import type { HealthUnit } from '@fleetdeck/shared';

// Fixed locale: numbers read the same for every operator and in every test run.
const LOCALE = 'en';
const percent = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 });
const decimal = (digits: number) => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits });
const d0 = decimal(0);
const d1 = decimal(1);
const d2 = decimal(2);
const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });
// Small rates (0.012/s) keep their first significant digits instead of rounding to 0.
const significant = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumSignificantDigits: 2 });

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** 1536 → "1.5 KiB": powers of 1024, as memory is sized. `short`: whole units from 10 up (axis ticks). */
export function formatBytes(v: number, short = false): string {
  let size = Math.abs(v);
  let i = 0;
  while (size >= 1024 && i < BINARY.length - 1) {
    size /= 1024;
    i++;
  }
  return `${v < 0 ? '-' : ''}${(i === 0 || (short && size >= 10) ? d0 : size < 10 ? d2 : d1).format(size)} ${BINARY[i]}`;
}

const SPANS: [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/** 7500 → "2 h 5 min": the two largest units, which is as precise as an age needs to be. */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  if (rest === 0) return '0 s';
  const parts: string[] = [];
  for (const [unit, size] of SPANS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(' ');
}

/** A value in its panel's unit, for tables, tooltips and summaries. */
export function formatValue(unit: HealthUnit, v: number): string {
  if (!Number.isFinite(v)) return 'no value';
  switch (unit) {
    case 'ratio':
      return percent.format(v);
    case 'percent':
      return percent.format(v / 100);
    case 'cores':
      return `${(Math.abs(v) < 10 ? d2 : d1).format(v)} ${v === 1 ? 'core' : 'cores'}`;
    case 'bytes':
      return formatBytes(v);
    case 'perSecond':
      return `${Math.abs(v) >= 10_000 ? compact.format(v) : Math.abs(v) >= 1 || v === 0 ? d2.format(v) : significant.format(v)}/s`;
    case 'count':
      return Number.isInteger(v) ? d0.format(v) : d1.format(v);
    case 'secondsSince':
      return `${formatDuration(v)} ago`;
    case 'bool':
      // A fleet quantile of up/down series can fall between the two.
      return v === 1 ? 'up' : v === 0 ? 'down' : `${percent.format(v)} up`;
  }
}

/** A short axis tick in the panel's unit. */
export function formatTick(unit: HealthUnit, v: number): string {
  switch (unit) {
    case 'ratio':
    case 'percent':
      return formatValue(unit, v);
    case 'bytes':
      // Whole units from 10 up, so a tick fits the axis on one line.
      return formatBytes(v, true);
    case 'cores':
      return d2.format(v);
    case 'perSecond':
    case 'count':
      return Math.abs(v) >= 1 || v === 0 ? compact.format(v) : significant.format(v);
    case 'secondsSince':
      return formatDuration(v).split(' ').slice(0, 2).join(' ');
    case 'bool':
      return v >= 1 ? 'up' : v <= 0 ? 'down' : '';
  }
}

/** What a table's value column is headed by. */
export const UNIT_NAMES: Record<HealthUnit, string> = {
  ratio: '%',
  percent: '%',
  cores: 'CPU cores',
  bytes: 'bytes',
  perSecond: 'per second',
  count: 'count',
  secondsSince: 'time since',
  bool: 'up/down',
};

/** A fixed y-axis for bounded units, so a flat 100% does not look like a cliff. */
export function unitDomain(unit: HealthUnit): [number, number] | undefined {
  if (unit === 'ratio' || unit === 'bool') return [0, 1];
  if (unit === 'percent') return [0, 100];
  return undefined;
}
