/**
 * What the pass-target rules share: the place in the file of each part of a written address (its parts are
 * the model's, `written-address.ts`); the upstream blocks nginx would see; and the edits their quick fixes
 * make (set a directive in a block, add one at a block's top). How directives reach a block, and plain
 * inserts, are the pack's (`levels-and-edits`).
 */
import type { TextEdit } from '../../core/findings';
import { lineBreakOf, type Range } from '../../core/text';
import { definitionsAllowedIn } from '../../model/nginx-context';
import type { NginxFile, NginxNode, NginxTree } from '../../model/nginx-tree';
import type { NginxUpstream, OriginModel } from '../../model/origin';
import type { NginxArg, NginxDirective } from '../../parsers/nginx/ast';
import { insertAfter } from './levels-and-edits';

/** A literal IPv4 or bracketed IPv6 address: nginx connects to it without resolving a name. */
export function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || /^\[[0-9a-f:.]*\]$/i.test(host);
}

/** Characters nginx unescapes after a backslash; each such pair is one character of the value. */
const ESCAPED = new Set(['"', "'", '\\', 't', 'r', 'n']);

/** The range in the file of part of an argument's value, counting its quote and backslash escapes. */
export function rangeInArg(file: NginxFile, arg: NginxArg, span: { start: number; end: number }): Range {
  const base = file.lines.offsetAt(arg.range.start);
  return file.lines.rangeOf(base + rawIndex(arg, span.start), base + rawIndex(arg, span.end));
}

function rawIndex(arg: NginxArg, valueIndex: number): number {
  let raw = arg.quote ? 1 : 0;
  for (let i = 0; i < valueIndex; i++) raw += arg.raw[raw] === '\\' && ESCAPED.has(arg.raw[raw + 1]) ? 2 : 1;
  return raw;
}

/** An edit of part of an argument's value. */
export function replaceInArg(node: NginxNode, arg: NginxArg, span: { start: number; end: number }, newText: string): TextEdit {
  return { file: node.file.id, range: rangeInArg(node.file, arg, span), newText };
}

/**
 * The `upstream` blocks nginx would see from a tree, by lower-case name (nginx matches names
 * case-insensitively). A snippet no main config includes may be loaded with any upstream of the
 * workspace, so it sees them all.
 */
export function upstreamsVisibleFrom(origin: OriginModel, tree: NginxTree): Map<string, NginxUpstream> {
  const visible = tree.inferred ? origin.workspaceUpstreams : origin.upstreams.filter((u) => tree.files.has(u.node.file.id));
  return new Map(visible.map((u) => [u.name.toLowerCase(), u]));
}

/** A directive to put in force, and the one in force now (from this block or an enclosing one). */
export interface DirectiveValue {
  name: string;
  value: string;
  current?: NginxNode;
}

/**
 * Edits that put each `name value;` in force in the block `anchor` stands in, or in the nearest block around it
 * where nginx allows them all: a directive already in that block is rewritten (a second one would make nginx -t
 * fail with "is duplicate"); the others are added together after `anchor` (or the block holding it), so they
 * override what an enclosing block sets.
 */
export function setInBlockEdits(anchor: NginxNode, settings: readonly DirectiveValue[]): TextEdit[] {
  const place = placeAllowing(anchor, settings.map((s) => s.name));
  const edits: TextEdit[] = [];
  const added: string[] = [];
  for (const { name, value, current } of settings) {
    if (current && current.parent === place.parent && current.directive.args.length > 0) {
      const args = current.directive.args;
      edits.push({ file: current.file.id, range: { start: args[0].range.start, end: args[args.length - 1].range.end }, newText: value });
    } else {
      added.push(`${name} ${value};`);
    }
  }
  if (added.length > 0) edits.push(insertAfter(place, added));
  return edits;
}

/**
 * `anchor`, or the innermost block around it whose context allows every one of `names`: an `if` takes no buffer
 * size nor TLS setting (nginx -t: "directive is not allowed here"), its location does, and the `if` inherits them.
 */
function placeAllowing(anchor: NginxNode, names: readonly string[]): NginxNode {
  for (let node: NginxNode | null = anchor; node; node = node.parent) {
    const { context } = node;
    if (names.every((name) => definitionsAllowedIn(name, context).length > 0)) return node;
  }
  return anchor;
}

/** Inserts `directive` before `first`, on a line of its own with the same indentation when `first` begins its line. */
export function insertBefore(file: NginxFile, first: NginxDirective, directive: string): TextEdit {
  const { start } = first.range;
  const before = file.lines.lineText(start.line).slice(0, start.character);
  const lineBreak = lineBreakOf(file.text);
  const newText = /^[ \t]*$/.test(before) ? `${directive}${lineBreak}${before}` : `${directive} `;
  return { file: file.id, range: { start, end: start }, newText };
}
