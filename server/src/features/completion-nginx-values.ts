import type { NginxDirectiveInfo } from '../reference/nginx';

/** A fixed word a directive's syntax allows, e.g. `on`, `TLSv1.3`, `default_server`, or a `backlog=` key. */
export interface SyntaxLiteral {
  value: string;
  /** The syntax line it comes from, without Markdown, e.g. `gzip on | off`. */
  syntax: string;
}

/**
 * The fixed words of a directive's documented syntax. nginx's reference writes them in backticks and the
 * placeholders in italics around backticks; the values after a `key=` belong to that key and are left out.
 */
export function syntaxLiterals(name: string, definitions: readonly NginxDirectiveInfo[]): SyntaxLiteral[] {
  const found = new Map<string, SyntaxLiteral>();
  for (const definition of definitions) {
    for (const line of definition.syntax) {
      for (const match of line.matchAll(/`([^`]+)`/g)) {
        const start = match.index;
        const end = start + match[0].length;
        if (line[start - 1] === '*' || line[end] === '*') continue;
        const word = line.slice(Math.max(line.lastIndexOf(' ', start), line.lastIndexOf('[', start)) + 1, start);
        if (word.includes('=')) continue;
        const value = line[end] === '=' ? `${match[1]}=` : match[1];
        if (/[[{]|\.\.\./.test(value) || found.has(value)) continue;
        found.set(value, { value, syntax: `${name} ${plainSyntax(line)}` });
      }
    }
  }
  return [...found.values()];
}

/** A syntax line without its Markdown: `*`size`*` → `size`. */
export function plainSyntax(line: string): string {
  return line.replace(/[`*]/g, '');
}
