/**
 * Fleet's rollout limits (`limit()` in Fleet's target/status.go), restated for the
 * stand-in: the first value given wins, the last argument is the default. Percentages
 * round DOWN with a floor of 1 (25% of 14 is 3), integers are clamped to [0, count], and
 * an empty set of clusters gets 1.
 */
export type IntOrPercent = number | string | undefined;

export function fleetLimit(count: number, ...values: IntOrPercent[]): number {
  if (count <= 0) return 1;
  const value = values.find((v) => v !== undefined) ?? '100%';
  if (typeof value === 'number') return Math.min(count, Math.max(0, Math.trunc(value)));
  // Like intstr's IntValue(): a string holding a positive integer is taken as is, unclamped.
  const asInt = /^[+-]?\d+$/.test(value) ? Number(value) : 0;
  if (asInt > 0) return asInt;
  if (!value.endsWith('%')) throw new Error(`invalid maxUnavailable, must be int or percentage (ending with %): ${value}`);
  const body = value.slice(0, -1).trim();
  const percent = body === '' ? Number.NaN : Number(body);
  if (Number.isNaN(percent)) throw new Error(`failed to parse ${value}`);
  if (percent <= 0) return 1;
  // Go: int(float64(count)*percent) / 100, both steps truncating.
  const n = Math.trunc(Math.trunc(count * percent) / 100);
  if (n <= 0) return 1;
  return Math.min(n, count);
}
