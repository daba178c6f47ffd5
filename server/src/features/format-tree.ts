import { LineIndex } from '../core/text';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import { fpmEntries } from '../parsers/phpfpm/parser';

/**
 * What a formatter must never change, one line per element: for nginx every directive's name and
 * arguments as written, its terminator, its nesting, every Lua body and every comment; for php-fpm
 * every section, entry (key, value as written and decoded) and comment. Whitespace at the end of a
 * comment or a Lua body is not part of it.
 */
export function nginxTreeLines(text: string, parse: NginxParseResult): string[] {
  const lines = new LineIndex(text);
  const out: string[] = [];
  const stack: Array<{ directive: NginxDirective; depth: number } | { close: number }> = [];
  const push = (directives: readonly NginxDirective[], depth: number) => {
    for (let i = directives.length - 1; i >= 0; i--) stack.push({ directive: directives[i], depth });
  };
  push(parse.directives, 0);
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('close' in item) {
      out.push(`${'  '.repeat(item.close)}}`);
      continue;
    }
    const { directive: d, depth } = item;
    const name = text.slice(lines.offsetAt(d.nameRange.start), lines.offsetAt(d.nameRange.end));
    const body = d.rawBody ? ` <<${trimEndAll(d.rawBody.text)}>>` : '';
    out.push(`${'  '.repeat(depth)}${[name, ...d.args.map((a) => a.raw)].join(' ')} ${d.terminator ?? '(none)'}${body}`);
    if (d.block) {
      stack.push({ close: depth });
      push(d.block.children, depth + 1);
    }
  }
  for (const comment of parse.comments) out.push(`#${trimEndBlanks(comment.text)}`);
  for (const error of parse.errors) out.push(`error: ${error.message}`);
  return out;
}

export function fpmTreeLines(parse: FpmParseResult): string[] {
  const out: string[] = [];
  for (const entry of fpmEntries(parse)) {
    out.push(`[${entry.section?.name ?? ''}] ${entry.key} = ${entry.rawValue} (${JSON.stringify(entry.value)})`);
  }
  for (const section of parse.sections) out.push(`section [${section.name}] ${section.entries.length}`);
  for (const comment of parse.comments) out.push(`${comment.marker}${trimEndBlanks(comment.text)}`);
  for (const error of parse.errors) out.push(`error: ${error.message}`);
  return out;
}

/** The first difference between two trees' lines, for a message; undefined when they are equal. */
export function treeDifference(before: readonly string[], after: readonly string[]): string | undefined {
  const length = Math.max(before.length, after.length);
  for (let i = 0; i < length; i++) {
    if (before[i] !== after[i]) return `element ${i}: ${JSON.stringify(before[i])} became ${JSON.stringify(after[i])}`;
  }
  return undefined;
}

/** Without the blanks that end a comment, a lone carriage return among them (nginx ends a comment at `\n` only). */
export function trimEndBlanks(text: string): string {
  return text.replace(/[ \t\r]+$/, '');
}

function trimEndAll(text: string): string {
  return text.replace(/[ \t\r\n]+$/, '');
}
