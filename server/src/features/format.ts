import { LineIndex, type Range } from '../core/text';
import type { FileKind } from '../model/classify';
import { parseNginx } from '../parsers/nginx/parser';
import { parseFpm } from '../parsers/phpfpm/parser';
import { isKnownNginxDirective } from '../reference/nginx';
import { applyOffsetEdits, editsInRange, toTextChanges, type FormatOptions, type FormatPlan, type TextChange } from './format-edits';
import { planFpmFormat } from './format-fpm';
import { planNginxFormat } from './format-nginx';
import { fpmTreeLines, nginxTreeLines, treeDifference } from './format-tree';

export type { FormatOptions, TextChange } from './format-edits';

/** A kind of file and how to read it, plan its formatting, and say what formatting must not change. */
interface Formatter<T> {
  parse(text: string): T;
  plan(text: string, parse: T, options: FormatOptions): FormatPlan;
  tree(text: string, parse: T): string[];
}

function nginxFormatter(extraDirectives: readonly string[]): Formatter<ReturnType<typeof parseNginx>> {
  return {
    // The same reading as the engine's, so a missing `;` the engine reports also stops the formatter.
    parse: (text) => parseNginx(text, { isDirectiveName: (name) => isKnownNginxDirective(name, extraDirectives) }),
    plan: planNginxFormat,
    tree: nginxTreeLines,
  };
}

const fpmFormatter: Formatter<ReturnType<typeof parseFpm>> = {
  parse: parseFpm,
  plan: (text, parse) => planFpmFormat(text, parse),
  tree: (_text, parse) => fpmTreeLines(parse),
};

/**
 * The edits that format a whole file, or the part of it `range` covers. null for cloudflared YAML, which has
 * no formatter here (a YAML formatter would re-quote and re-flow what cloudflared reads differently). Every
 * answer is checked before it is given: the edits applied, the file re-read, and its tree compared with the
 * original; any difference, or a file with syntax errors, gives no edits at all.
 */
export function formatEdits(
  kind: FileKind | undefined, text: string, options: FormatOptions, extraDirectives: readonly string[], range?: Range,
): TextChange[] | null {
  if (kind === 'nginx') return checkedEdits(nginxFormatter(extraDirectives), text, options, range);
  if (kind === 'php-fpm') return checkedEdits(fpmFormatter, text, options, range);
  return null;
}

function checkedEdits<T>(formatter: Formatter<T>, text: string, options: FormatOptions, range: Range | undefined): TextChange[] {
  const parse = formatter.parse(text);
  const plan = formatter.plan(text, parse, options);
  if ('refused' in plan) return [];
  const lines = new LineIndex(text);
  const edits = range ? editsInRange(plan.edits, lines.offsetAt(range.start), lines.offsetAt(range.end)) : plan.edits;
  if (edits.length === 0) return [];
  const formatted = applyOffsetEdits(text, edits);
  const unchanged = treeDifference(formatter.tree(text, parse), formatter.tree(formatted, formatter.parse(formatted))) === undefined;
  return unchanged ? toTextChanges(edits, lines) : [];
}
