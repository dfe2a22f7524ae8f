import type { LokiQueryData, LokiStream } from '@fleetdeck/shared';

import type { LokiTailFrame } from './loki-api.ts';
import { LokiError } from './loki-error.ts';

/**
 * Loki's documented answer envelopes, checked before anything passes on: a shape we do
 * not know could carry lines past the scope filter, so it is refused, never guessed at.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isLabelSet = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const isSample = (v: unknown): v is [number, string] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
const NS = /^\d{1,20}$/;
const isEntry = (v: unknown): v is LokiStream['values'][number] =>
  Array.isArray(v) && v.length >= 2 && typeof v[0] === 'string' && NS.test(v[0]) && typeof v[1] === 'string';
const isStream = (s: unknown): s is LokiStream => isObject(s) && isLabelSet(s.stream) && Array.isArray(s.values) && s.values.every(isEntry);

const unexpected = () => new LokiError('Loki answered an unexpected shape');

export function stringList(data: unknown): string[] {
  // Loki answers `"data": null` or omits it when nothing matched in some versions.
  if (data === null) return [];
  if (!Array.isArray(data) || !data.every((x) => typeof x === 'string')) throw unexpected();
  return data;
}

/** Loki's documented query envelopes; anything else is refused (it would pass through unfiltered). */
export function queryData(data: unknown, allowed: readonly LokiQueryData['resultType'][]): LokiQueryData {
  if (!isObject(data) || typeof data.resultType !== 'string') throw unexpected();
  const type = data.resultType as LokiQueryData['resultType'];
  if (!allowed.includes(type)) throw new LokiError(`Loki answered a ${String(type).slice(0, 20)} result here`);
  const result = data.result ?? [];
  switch (type) {
    case 'streams':
      if (!Array.isArray(result) || !result.every(isStream)) throw unexpected();
      return { resultType: 'streams', result };
    case 'matrix':
      if (
        !Array.isArray(result) ||
        !result.every((s) => isObject(s) && isLabelSet(s.metric) && Array.isArray(s.values) && s.values.every(isSample))
      )
        throw unexpected();
      return { resultType: 'matrix', result: result as Extract<LokiQueryData, { resultType: 'matrix' }>['result'] };
    case 'vector':
      if (!Array.isArray(result) || !result.every((s) => isObject(s) && isLabelSet(s.metric) && isSample(s.value))) throw unexpected();
      return { resultType: 'vector', result: result as Extract<LokiQueryData, { resultType: 'vector' }>['result'] };
    case 'scalar':
      if (!isSample(result)) throw unexpected();
      return { resultType: 'scalar', result };
    default:
      throw unexpected();
  }
}

/**
 * One frame of Loki's tail websocket: `{"streams": [...], "dropped_entries": [...]}`.
 * `streams` as in a `streams` query result (null or missing when a frame only reports
 * drops); `dropped_entries` missing, null or a list of `{labels, timestamp}`, of which
 * only the count is kept (the labels of lines we did not get may name another tenant's
 * streams only if enforcement failed, and a count shows nothing either way). Entries are
 * kept as `[ns, line]`: structured metadata is not passed on.
 */
export function parseTailFrame(text: string): LokiTailFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    throw new LokiError('Loki sent a tail frame that is not JSON');
  }
  if (!isObject(frame)) throw new LokiError('Loki sent a tail frame of an unexpected shape');
  const streams = frame.streams ?? [];
  if (!Array.isArray(streams) || !streams.every(isStream)) throw new LokiError('Loki sent a tail frame of an unexpected shape');
  const dropped = frame.dropped_entries ?? [];
  if (!Array.isArray(dropped)) throw new LokiError('Loki sent a tail frame of an unexpected shape');
  return {
    streams: streams.map((s) => ({ stream: s.stream, values: s.values.map(([ts, line]) => [ts, line]) })),
    dropped: dropped.length,
  };
}
