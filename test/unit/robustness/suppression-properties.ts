import { strict as assert } from 'node:assert';
import type { Finding } from '../../../server/src/core/findings';
import type { LineIndex } from '../../../server/src/core/text';
import { isSuppressed } from '../../../server/src/engine/suppression';
import type { FileKind } from '../../../server/src/model/classify';
import type { ParsedFile } from '../../../server/src/model/workspace';
import type { CloudflaredParseResult } from '../../../server/src/parsers/cloudflared/ast';
import type { NginxDirective, NginxParseResult } from '../../../server/src/parsers/nginx/ast';
import type { FpmEntry, FpmParseResult } from '../../../server/src/parsers/phpfpm/ast';
import { ALL_RULES } from '../../../server/src/rules';
import { carried, type Changes } from './fix-edits';

/**
 * What "Disable … for this line" must do beyond (a)-(c): its comment is never a no-op, so instead of idempotence it
 * must silence every finding of its rule on the finding's line, and change nothing else. The file reads the same
 * (the same directives, entries and values: a comment line inside a token, or before a byte order mark, would not),
 * and every other line keeps exactly the rules a comment above it silenced (a new comment line under an existing one
 * would end that one's hold on the finding's line).
 */
export function assertSilencesOnly(
  finding: Finding, kind: FileKind, before: ParsedFile<unknown>, after: ParsedFile<unknown>, findingsAfter: Finding[], changes: Changes, where: string,
): void {
  const line = carried(finding.file, finding.range.start, changes).line;
  const left = findingsAfter.filter((f) => f.rule === finding.rule && f.file === finding.file && f.range.start.line === line);
  assert.deepEqual(left.map((f) => f.message), [], `the suppression comment leaves findings of ${finding.rule} on its line\n${where}`);
  assert.equal(contentOf(kind, after.parse), contentOf(kind, before.parse), `the suppression comment changes what the file says\n${where}`);
  const ids = [...new Set([...ALL_RULES.map((r) => r.id), finding.rule])];
  const expected = new Map<number, string[]>();
  for (const [old, rules] of silenced(before.lines, ids)) {
    // A line's end goes where the line goes, whether the comment is inserted at its start or appended to the line above.
    expected.set(carried(finding.file, { line: old, character: before.lines.lineText(old).length }, changes).line, rules);
  }
  expected.set(line, [...new Set([...(expected.get(line) ?? []), finding.rule])].sort());
  const sorted = new Map([...expected].sort(([a], [b]) => a - b));
  assert.deepEqual(silenced(after.lines, ids), sorted, `the suppression comment changes what other lines silence\n${where}`);
}

/** For each line a comment above silences rules on, which of `ids` (sorted), as the engine reads the comments. */
function silenced(lines: LineIndex, ids: readonly string[]): Map<number, string[]> {
  const result = new Map<number, string[]>();
  for (let line = 1; line < lines.lineCount; line++) {
    if (!lines.lineText(line - 1).includes('origin-doctor-disable-next-line')) continue;
    const at = { line, character: 0 };
    const rules = ids.filter((rule) => isSuppressed({ rule, severity: 'hint', file: '', message: '', range: { start: at, end: at } }, lines));
    if (rules.length > 0) result.set(line, rules.sort());
  }
  return result;
}

/** What a file says, without positions and comments: directives with their arguments, entries with their values, YAML's value. */
function contentOf(kind: FileKind, parse: unknown): string {
  if (kind === 'nginx') return JSON.stringify((parse as NginxParseResult).directives.map(directiveContent));
  if (kind === 'php-fpm') {
    const { preamble, sections } = parse as FpmParseResult;
    return JSON.stringify([preamble.map(entryContent), sections.map((s) => [s.name, s.entries.map(entryContent)])]);
  }
  return JSON.stringify((parse as CloudflaredParseResult).document.toJS());
}

type DirectiveContent = [string, string[], DirectiveContent[] | undefined, string | undefined];

function directiveContent(directive: NginxDirective): DirectiveContent {
  return [directive.name, directive.args.map((a) => a.value), directive.block?.children.map(directiveContent), directive.rawBody?.text];
}

function entryContent(entry: FpmEntry): [string, string] {
  return [entry.key, entry.value];
}
