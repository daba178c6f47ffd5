/**
 * Text edits on a cloudflared config that keep it valid YAML: changing part of a scalar, adding a key to a map,
 * adding, moving and removing list items and lines. Each returns undefined where the layout is one it does not
 * handle safely (flow collections it cannot extend, aliases, escaped strings), and the rule then offers no fix.
 */
import type { TextEdit } from '../../../core/findings';
import { containsPosition, lineBreakOf, type Range } from '../../../core/text';
import type { ParsedFile } from '../../../model/workspace';
import type { CloudflaredEntry, CloudflaredIngressRule } from '../../../parsers/cloudflared/ast';
import { sourceText } from './go-yaml';

/**
 * Replaces `value.slice(from, to)` of a string value with `text`, writing the whole value anew in its own style:
 * single- or double-quoted as it was, plain while the result is still a plain scalar, else double-quoted.
 */
export function replaceInValue(file: ParsedFile<unknown>, entry: CloudflaredEntry, from: number, to: number, text: string): TextEdit | undefined {
  if (typeof entry.value !== 'string') return undefined;
  const value = entry.value.slice(0, from) + text + entry.value.slice(to);
  const written = sourceText(file, entry);
  if (written.startsWith("'")) return replaceValue(file, entry, `'${value.replace(/'/g, "''")}'`);
  return replaceValue(file, entry, entry.quoted ? JSON.stringify(value) : yamlString(value));
}

/**
 * A string as a YAML scalar: plain when YAML reads it back as the same string (no indicator first, no `: ` or ` #`,
 * no `:` last, one line), else double-quoted.
 */
export function yamlString(text: string): string {
  const plain = /^[^\s\-?:,[\]{}#&*!|>'"%@`]/.test(text) && !/: | #|:$|[\r\n]|\s$/.test(text);
  return plain ? text : JSON.stringify(text);
}

/** Replaces the whole value as written (quotes included) with `text`, which must be valid YAML there. */
export function replaceValue(file: ParsedFile<unknown>, entry: CloudflaredEntry, text: string): TextEdit | undefined {
  if (sourceText(file, entry).startsWith('*')) return undefined;
  return { file: file.id, range: entry.valueRange, newText: text };
}

/**
 * Removes the lines from `range.start` to `range.end`, line break included; only when nothing else shares them and
 * they define no anchor (`&name`) that a later alias may need.
 */
export function removeLines(file: ParsedFile<unknown>, range: Range): TextEdit | undefined {
  const { lines } = file;
  if (/(^|[\s[{,:-])&[^\s,[\]{}]+/.test(file.text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end)))) return undefined;
  const before = file.text.slice(lines.lineStarts[range.start.line], lines.offsetAt(range.start));
  const after = file.text.slice(lines.offsetAt(range.end), lines.lineEnd(range.end.line));
  if (before.trim() !== '' || !/^\s*(#.*)?$/.test(after)) return undefined;
  const end = range.end.line + 1 < lines.lineCount ? lines.lineStarts[range.end.line + 1] : file.text.length;
  return { file: file.id, range: lines.rangeOf(lines.lineStarts[range.start.line], end), newText: '' };
}

/** Inserts lines after `line`, each indented by `indent` spaces, with the file's line breaks. */
function insertLinesAfter(file: ParsedFile<unknown>, line: number, indent: number, newLines: string[]): TextEdit {
  const at = file.lines.lineEnd(line);
  const lineBreak = lineBreakOf(file.text);
  const text = newLines.map((l) => lineBreak + ' '.repeat(indent) + l).join('');
  return { file: file.id, range: file.lines.rangeOf(at, at), newText: text };
}

/** True when the ingress rule is a block list item (`- key: …`), the layout the list edits handle. */
function isBlockItem(file: ParsedFile<unknown>, rule: CloudflaredIngressRule): boolean {
  const start = file.lines.offsetAt(rule.range.start);
  const lineStart = file.lines.lineStarts[rule.range.start.line];
  return file.text[start] === '-' && file.text.slice(lineStart, start).trim() === '';
}

/** Adds a list item after the last ingress rule, with the list's indentation (or `, item` in a flow list). */
export function appendIngressRule(file: ParsedFile<unknown>, last: CloudflaredIngressRule, blockItem: string, flowItem: string): TextEdit {
  if (!isBlockItem(file, last)) return { file: file.id, range: { start: last.range.end, end: last.range.end }, newText: `, ${flowItem}` };
  return insertLinesAfter(file, last.range.end.line, last.range.start.character, [`- ${blockItem}`]);
}

/** Moves a block ingress rule, its lines whole, after `last`. */
export function moveIngressRuleAfter(file: ParsedFile<unknown>, rule: CloudflaredIngressRule, last: CloudflaredIngressRule): TextEdit[] | undefined {
  if (!isBlockItem(file, rule) || !isBlockItem(file, last) || rule.range.start.character !== last.range.start.character) return undefined;
  const removal = removeLines(file, rule.range);
  if (!removal) return undefined;
  const { lines } = file;
  const moved = file.text.slice(lines.lineStarts[rule.range.start.line], lines.lineEnd(rule.range.end.line));
  return [removal, insertLinesAfter(file, last.range.end.line, 0, moved.split(/\r?\n/))];
}

/**
 * Adds `key: value` to the rule's own `originRequest` map (sets it there when the map has the key already), or an
 * `originRequest:` map holding it when the rule has none. Undefined for a rule in flow style, an `originRequest`
 * written as an alias, `~`, or coming from a `<<` merge (a key of the rule's own would replace the merged map whole).
 */
export function addOriginRequestKey(file: ParsedFile<unknown>, rule: CloudflaredIngressRule, key: string, value: string): TextEdit | undefined {
  const first = rule.entries[0];
  if (!first || !isBlockItem(file, rule) || isFlowMap(file, rule)) return undefined;
  const own = rule.entries.find((e) => e.key === 'originRequest');
  if (!own) {
    if (rule.originRequestEntry) return undefined;
    return insertLinesAfter(file, rule.range.end.line, first.keyRange.start.character, ['originRequest:', `  ${key}: ${value}`]);
  }
  // A key the rule's own map already holds gets the value in place: a second one is a duplicate key, refused by cloudflared.
  const existing = rule.originRequest.find((e) => e.key === key && containsPosition(own.valueRange, e.keyRange.start));
  if (existing) return replaceValue(file, existing, value);
  const written = sourceText(file, own);
  if (written.startsWith('*')) return undefined;
  if (written === '') return insertLinesAfter(file, own.keyRange.start.line, own.keyRange.start.character + 2, [`${key}: ${value}`]);
  if (written === '{}') return replaceValue(file, own, `{ ${key}: ${value} }`);
  if (written.startsWith('{') && written.endsWith('}')) {
    const end = file.lines.offsetAt(own.valueRange.end) - 1;
    return { file: file.id, range: file.lines.rangeOf(end, end), newText: `, ${key}: ${value}` };
  }
  const keys = rule.originRequest;
  if (keys.length === 0 || keys[0].keyRange.start.line === own.keyRange.start.line) return undefined;
  return insertLinesAfter(file, own.valueRange.end.line, keys[0].keyRange.start.character, [`${key}: ${value}`]);
}

/** `- { service: … }`: the rule's map is in flow style. */
function isFlowMap(file: ParsedFile<unknown>, rule: CloudflaredIngressRule): boolean {
  return file.text.slice(file.lines.offsetAt(rule.range.start) + 1).trimStart().startsWith('{');
}

/** From an entry's key to the end of its value: what a finding about the whole `key: value` points at. */
export function entrySpan(entry: CloudflaredEntry): Range {
  return { start: entry.keyRange.start, end: entry.valueRange.end };
}
