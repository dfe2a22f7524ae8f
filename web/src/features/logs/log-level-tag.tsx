import { LEVEL_STYLE, type LogLevel } from './log-level.ts';

/** A level as its word, a shape and a colour together. */
export function LogLevelTag({ level }: { level: LogLevel }) {
  const { glyph, text, className } = LEVEL_STYLE[level];
  return (
    <span className={`inline-flex w-20 shrink-0 items-center gap-1 font-medium ${className}`} data-level={level}>
      <span aria-hidden className="w-3 text-center">
        {glyph}
      </span>
      {text}
    </span>
  );
}
