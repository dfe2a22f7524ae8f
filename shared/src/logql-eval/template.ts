import { LogQLError } from './errors.ts';

/**
 * `line_format` / `label_format` templates, field substitution only: `{{.label}}`,
 * `{{ .label }}` and `{{__line__}}`. Go templates can do far more (functions, pipes,
 * conditionals); anything else is refused rather than rendered wrongly. A missing label
 * renders as "", as Loki does.
 */
export type Template = (labels: Readonly<Record<string, string>>, line: string) => string;

const FIELD = /^\s*(?:\.([A-Za-z_][A-Za-z0-9_]*)|(__line__))\s*$/;

export function compileTemplate(source: string, position: number): Template {
  const parts: (string | { label: string } | { line: true })[] = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw new LogQLError(`template ${JSON.stringify(source)} has an unclosed "{{"`, position);
    // The action text is bounded by "{{" and "}}" and FIELD is a fixed pattern (no user regex).
    const m = FIELD.exec(rest.slice(open + 2, close));
    if (!m)
      throw new LogQLError(
        `template action "${rest.slice(open, close + 2)}" is not supported here: only field substitution ({{.label}}, {{__line__}})`,
        position,
      );
    parts.push(m[1] !== undefined ? { label: m[1] } : { line: true });
    rest = rest.slice(close + 2);
  }
  return (labels, line) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : 'label' in p ? (labels[p.label] ?? '') : line;
    return out;
  };
}
