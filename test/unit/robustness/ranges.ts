/**
 * Every range a parse tree or an analysis holds, and the check that each is a valid LSP range of its document:
 * a line of the document, a column from 0 to that line's length in UTF-16 units, the start not after the end.
 * The walks are iterative, so trees nested 10,000 deep are checked without a deep stack.
 */
import { strict as assert } from 'node:assert';
import { isMap, isNode, isPair, isSeq } from 'yaml';
import type { Finding } from '../../../server/src/core/findings';
import { comparePositions, LineIndex, type Range } from '../../../server/src/core/text';
import type { CloudflaredEntry, CloudflaredParseResult } from '../../../server/src/parsers/cloudflared/ast';
import type { NginxParseResult } from '../../../server/src/parsers/nginx/ast';
import type { FpmEntry, FpmParseResult } from '../../../server/src/parsers/phpfpm/ast';

/** A range and what holds it, for the failure message. */
export type LabelledRange = readonly [label: string, range: Range];

/** Asserts that every range lies inside `text`; `context` names the input in the failure message. */
export function assertRangesInside(text: string, ranges: Iterable<LabelledRange>, context = ''): void {
  const lines = new LineIndex(text);
  for (const [label, range] of ranges) assertRangeInside(lines, range, `${label}${context}`);
}

export function assertRangeInside(lines: LineIndex, range: Range, label: string): void {
  // Messages are built only on failure: a 10 MB document has hundreds of thousands of ranges.
  for (const { line, character } of [range.start, range.end]) {
    if (!(Number.isInteger(line) && line >= 0 && line < lines.lineCount)) fail(label, range, `line outside the ${lines.lineCount} lines`);
    // The length from the line index, not lineText(): slicing a 10 MB line for every range would be quadratic.
    const length = lines.lineEnd(line) - lines.lineStarts[line];
    if (!(Number.isInteger(character) && character >= 0 && character <= length)) fail(label, range, `column outside line ${line} (${length} long)`);
  }
  if (comparePositions(range.start, range.end) > 0) fail(label, range, 'ends before it starts');
}

/** Fails with `label: range 0:40-0:40: problem`; a label that quotes a 10 MB argument is cut short. */
function fail(label: string, range: Range, problem: string): never {
  const { start, end } = range;
  const shown = label.length > 300 ? `${label.slice(0, 300)}…` : label;
  assert.fail(`${shown}: range ${start.line}:${start.character}-${end.line}:${end.character}: ${problem}`);
}

/** Directives (name, arguments, block, raw body), comments and errors, at any depth. */
export function* nginxRanges(parse: NginxParseResult): Generator<LabelledRange> {
  const pending = [...parse.directives];
  for (let directive = pending.pop(); directive; directive = pending.pop()) {
    yield [`directive ${directive.name}`, directive.range];
    yield [`name of ${directive.name}`, directive.nameRange];
    for (const arg of directive.args) yield [`argument ${arg.raw} of ${directive.name}`, arg.range];
    if (directive.rawBody) yield [`raw body of ${directive.name}`, directive.rawBody.range];
    if (directive.block) {
      yield [`block of ${directive.name}`, directive.block.range];
      pending.push(...directive.block.children);
    }
  }
  for (const comment of parse.comments) yield ['comment', comment.range];
  for (const error of parse.errors) yield [`error ${error.message}`, error.range];
}

/** Entries before and in sections, section headers, comments and errors. */
export function* fpmRanges(parse: FpmParseResult): Generator<LabelledRange> {
  yield* fpmEntryRanges(parse.preamble);
  for (const section of parse.sections) {
    yield [`name of [${section.name}]`, section.nameRange];
    yield [`header [${section.name}]`, section.headerRange];
    yield* fpmEntryRanges(section.entries);
  }
  for (const comment of parse.comments) yield [`${comment.marker} comment`, comment.range];
  for (const error of parse.errors) yield [`error ${error.message}`, error.range];
}

function* fpmEntryRanges(entries: readonly FpmEntry[]): Generator<LabelledRange> {
  for (const entry of entries) {
    yield [`entry ${entry.key}`, entry.range];
    yield [`key ${entry.key}`, entry.keyRange];
    yield [`value of ${entry.key}`, entry.valueRange];
  }
}

/**
 * Problems, the typed view (top level, ingress rules, origin requests), the entries below them that rules read
 * through `entriesIn` and `itemsIn`, and `rangeOf` of every node of the document.
 */
export function* cloudflaredRanges(parse: CloudflaredParseResult): Generator<LabelledRange> {
  for (const error of parse.errors) yield [`error ${error.message}`, error.range];
  for (const warning of parse.warnings) yield [`warning ${warning.message}`, warning.range];
  const { config } = parse;
  const entries: CloudflaredEntry[] = [...config.topLevel, ...config.originRequest];
  for (const rule of config.ingress) {
    yield [`ingress rule ${rule.index}`, rule.range];
    entries.push(...rule.entries, ...rule.originRequest);
    for (const entry of [rule.hostname, rule.path, rule.service, rule.originRequestEntry]) if (entry) entries.push(entry);
  }
  yield* cloudflaredEntryRanges(parse, entries);
  for (const node of documentNodes(parse)) yield ['rangeOf a node', parse.rangeOf(node.range)];
}

/** Reading below entries follows aliases, so an alias bomb could fan out without end: stop after this many. */
const MAX_NESTED_ENTRIES = 20_000;

function* cloudflaredEntryRanges(parse: CloudflaredParseResult, top: CloudflaredEntry[]): Generator<LabelledRange> {
  const pending = [...top];
  for (let read = 0; pending.length > 0 && read < MAX_NESTED_ENTRIES; read++) {
    const entry = pending.pop()!;
    yield [`key ${entry.key}`, entry.keyRange];
    yield [`value of ${entry.key}`, entry.valueRange];
    pending.push(...parse.entriesIn(entry), ...parse.itemsIn(entry).flat());
  }
}

/** Every node of the document's tree, keys included, without following aliases. */
function* documentNodes(parse: CloudflaredParseResult): Generator<{ range?: [number, number, number] | null }> {
  const pending: unknown[] = [parse.document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isPair(node)) pending.push(node.key, node.value);
    if (!isNode(node)) continue;
    yield node;
    if (isMap(node) || isSeq(node)) pending.push(...node.items);
  }
}

/** Every finding's range, its related locations and its fixes' edits, each inside the document it names. */
export function assertFindingsInside(findings: readonly Finding[], texts: Readonly<Record<string, string>>, context = ''): void {
  const indexes = new Map<string, LineIndex>();
  const inside = (file: string, range: Range, label: string) => {
    const text = texts[file];
    assert.ok(text !== undefined, `${label} names a file outside the workspace: ${file}${context}`);
    if (!indexes.has(file)) indexes.set(file, new LineIndex(text));
    assertRangeInside(indexes.get(file)!, range, `${label} in ${file}${context}`);
  };
  for (const finding of findings) {
    inside(finding.file, finding.range, finding.rule);
    for (const related of finding.related ?? []) {
      // Related locations may point at an included file outside the workspace; those have no text here to check.
      if (texts[related.file] !== undefined) inside(related.file, related.range, `${finding.rule} related location`);
    }
    for (const fix of finding.fixes ?? []) for (const edit of fix.edits) inside(edit.file, edit.range, `${finding.rule} fix "${fix.title}"`);
  }
}
