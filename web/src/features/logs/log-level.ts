/** A line's level, normalised; `unknown` when neither its labels nor its text say. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace', 'unknown'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const ALIASES: Record<string, LogLevel> = {
  error: 'error',
  err: 'error',
  eror: 'error',
  fatal: 'error',
  critical: 'error',
  crit: 'error',
  panic: 'error',
  emerg: 'error',
  alert: 'error',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  info: 'info',
  inf: 'info',
  information: 'info',
  notice: 'info',
  debug: 'debug',
  dbg: 'debug',
  trace: 'trace',
  trc: 'trace',
};

/** A level word (any case) as a level, or undefined when it is not one. */
export function normaliseLevel(word: string | undefined): LogLevel | undefined {
  return word === undefined ? undefined : ALIASES[word.toLowerCase()];
}

/** Only the start of a line is read: levels sit near the front, and a 1 MB line costs no more than a short one. */
const HEAD = 256;
const KEYS = ['level', 'lvl', 'severity'];
const WORDS = ['ERROR', 'FATAL', 'PANIC', 'WARNING', 'WARN', 'INFO', 'DEBUG', 'TRACE'];

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** The value after `key=` or `"key":"` in logfmt or JSON text, read by hand (no pattern built from data). */
function keyedValue(head: string, lower: string): string | undefined {
  for (const key of KEYS) {
    for (const [prefix, quote] of [
      [`${key}=`, ''],
      [`"${key}":"`, '"'],
      [`"${key}": "`, '"'],
    ] as const) {
      const at = lower.indexOf(prefix);
      if (at < 0 || isWordChar(lower[at - 1])) continue;
      let start = at + prefix.length;
      if (quote === '' && head[start] === '"') start++;
      let end = start;
      while (end < head.length && /[A-Za-z]/.test(head[end]!)) end++;
      if (end > start) return head.slice(start, end);
    }
  }
  return undefined;
}

/**
 * A line's level, cheaply: a `level` (or `detected_level`, `severity`) label first, then a
 * `level=`/`"level":` key near the start of the line, then a bare upper-case level word.
 */
export function detectLevel(line: string, labels: Readonly<Record<string, string>>): LogLevel {
  const fromLabel = normaliseLevel(labels.level ?? labels.detected_level ?? labels.severity);
  if (fromLabel) return fromLabel;
  const head = line.length > HEAD ? line.slice(0, HEAD) : line;
  const fromKey = normaliseLevel(keyedValue(head, head.toLowerCase()));
  if (fromKey) return fromKey;
  for (const word of WORDS) {
    const at = head.indexOf(word);
    if (at >= 0 && !isWordChar(head[at - 1]) && !isWordChar(head[at + word.length])) return ALIASES[word.toLowerCase()]!;
  }
  return 'unknown';
}

/**
 * How a level reads: its word, a shape and a colour (never the colour alone). The shape
 * is a text glyph, not an SVG icon: a scrolled list mounts dozens of rows a frame, and a
 * glyph costs one text node where an icon costs an element tree with its attributes.
 */
export const LEVEL_STYLE: Record<LogLevel, { text: string; glyph: string; className: string; chart: [light: string, dark: string] }> = {
  error: { text: 'error', glyph: '✖', className: 'text-red-700 dark:text-red-400', chart: ['#dc2626', '#f87171'] },
  warn: { text: 'warn', glyph: '▲', className: 'text-amber-700 dark:text-amber-400', chart: ['#d97706', '#fbbf24'] },
  info: { text: 'info', glyph: '●', className: 'text-sky-700 dark:text-sky-400', chart: ['#0369a1', '#38bdf8'] },
  debug: { text: 'debug', glyph: '◆', className: 'text-violet-700 dark:text-violet-400', chart: ['#7c3aed', '#a78bfa'] },
  trace: { text: 'trace', glyph: '•', className: 'text-slate-600 dark:text-slate-400', chart: ['#64748b', '#94a3b8'] },
  unknown: { text: 'no level', glyph: '○', className: 'text-slate-500 dark:text-slate-400', chart: ['#a8a29e', '#57534e'] },
};
