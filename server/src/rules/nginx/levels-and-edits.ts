import { appendAll } from '../../core/append';
import type { TextEdit } from '../../core/findings';
import { keptFor } from '../../core/kept';
import { lineBreakOf } from '../../core/text';
import { definitionsAllowedIn } from '../../model/nginx-context';
import { allNamed, firstNamed, hasInclude, levelIndex, type LevelIndex } from '../../model/nginx-level-index';
import type { IncludeResolution, NginxNode, NginxTree } from '../../model/nginx-tree';

/**
 * What the nginx 502 rules share: how a directive reaches a block through nginx's levels (http →
 * server → location → if), and the small edits their fixes make.
 *
 * A level is a block (`NginxNode`) or the top of a tree (`null`). A lookup answers "unknown" when a
 * level holds an `include` we cannot read, or when it climbs past the top of a snippet whose real
 * home (its http or server block) is not in the workspace: rules stay silent rather than guess.
 */
export type Level = NginxNode | null;

export type Lookup = { known: true; node: NginxNode | undefined } | { known: false };

/** An array directive's lines in force (`proxy_set_header`, `add_header`), and the level they come from. */
export type ListLookup = { known: true; nodes: readonly NginxNode[]; level: Level } | { known: false };

/**
 * Package files the model does not read but whose content is known: Debian's `proxy_params` is a set of
 * `proxy_set_header` lines (Host, X-Real-IP, X-Forwarded-For, X-Forwarded-Proto) and nothing else.
 */
const PACKAGE_FILE_DIRECTIVE: Record<string, string> = { proxy_params: 'proxy_set_header' };

/** Blocks whose settings nested blocks inherit. */
const INHERITING_BLOCKS = new Set(['http', 'server', 'location', 'if', 'limit_except']);

/** The one-value directive in force inside `level`: the innermost level that sets it wins. */
export function lookupDirective(level: Level, tree: NginxTree, name: string): Lookup {
  const unseen = readsUnseenFiles(tree);
  // Set nowhere in the tree: no level need be looked at (rules ask for settings most configs never write).
  if (!unseen && !tree.byName.has(name)) return tree.inferred ? UNKNOWN : NOT_SET;
  for (let current = level; ; current = current.parent) {
    const children = childrenOf(current, tree);
    const node = firstNamed(children, name);
    if (node) return { known: true, node };
    if (unseen && hasInclude(children) && mayHide(levelIndex(children), tree, name)) return UNKNOWN;
    if (!current) break;
  }
  return tree.inferred ? UNKNOWN : NOT_SET;
}

/** Typed as both answers: either lookup may say it cannot tell. */
const UNKNOWN: { known: false } = { known: false };
const NOT_SET: Lookup = { known: true, node: undefined };

const headersSet = new WeakMap<readonly NginxNode[], Map<string, boolean>>();

/**
 * Whether `proxy_set_header` lines in force (as `lookupDirectiveList` gives them) set `header`, in lower case. A long
 * list is searched once per header: the passes below one level (thousands, under an http level) share it.
 */
export function setsProxyHeader(lines: readonly NginxNode[], header: string): boolean {
  if (lines.length < SCANNED_LINES) return setsHeader(lines, header);
  let byHeader = headersSet.get(lines);
  if (!byHeader) headersSet.set(lines, (byHeader = new Map()));
  let sets = byHeader.get(header);
  if (sets === undefined) byHeader.set(header, (sets = setsHeader(lines, header)));
  return sets;
}

/** Lists shorter than this are faster searched again than looked up. */
const SCANNED_LINES = 16;

function setsHeader(lines: readonly NginxNode[], header: string): boolean {
  return lines.some((line) => line.directive.name === 'proxy_set_header' && line.directive.argValues[0]?.toLowerCase() === header);
}

/** An array directive in force inside `level`: the innermost level with any line of it replaces all outer ones. */
export function lookupDirectiveList(level: Level, tree: NginxTree, name: string): ListLookup {
  const unseen = readsUnseenFiles(tree);
  // Set nowhere, not even by a package file an include names (see `includeKind`).
  if (!unseen && !tree.byName.has(name) && !tree.byName.has('include')) return tree.inferred ? UNKNOWN : NO_LINES;
  for (let current = level; ; current = current.parent) {
    const children = childrenOf(current, tree);
    const own = allNamed(children, name);
    // A level's index is made only where it has an include: most levels are small blocks, faster scanned.
    const index = hasInclude(children) ? levelIndex(children) : undefined;
    const nodes = index === undefined
      ? own
      : [...own, ...index.includes.filter((child) => includeKind(child, tree) === name)].sort((a, b) => children.indexOf(a) - children.indexOf(b));
    if (nodes.length > 0) return { known: true, nodes, level: current };
    if (unseen && index !== undefined && mayHide(index, tree, name)) return UNKNOWN;
    if (!current) break;
  }
  return tree.inferred ? UNKNOWN : NO_LINES;
}

const NO_LINES: ListLookup = { known: true, nodes: [], level: null };

/**
 * The levels where `node` is in force: its own and every nested block that does not set one of
 * `overriddenBy` itself (such a block, and all inside it, take their own lines instead).
 */
export function levelsInheriting(node: NginxNode, tree: NginxTree, overriddenBy: ReadonlySet<string>): Level[] {
  const levels: Level[] = [node.parent];
  const pending = [...childrenOf(node.parent, tree)];
  while (pending.length > 0) {
    const child = pending.pop()!;
    if (!child.directive.block || !INHERITING_BLOCKS.has(child.directive.name)) continue;
    if (child.children.some((c) => overriddenBy.has(c.directive.name))) continue;
    levels.push(child);
    appendAll(pending, child.children);
  }
  return levels;
}

function childrenOf(level: Level, tree: NginxTree): NginxNode[] {
  return level ? level.children : tree.nodes;
}

const includeResolutions = new WeakMap<NginxTree, Map<NginxNode, IncludeResolution>>();

function resolutionOf(node: NginxNode, tree: NginxTree): IncludeResolution | undefined {
  let byNode = includeResolutions.get(tree);
  if (!byNode) {
    byNode = new Map(tree.includes.map((r) => [r.node, r]));
    includeResolutions.set(tree, byNode);
  }
  return byNode.get(node);
}

/** An `include` that brought in no file we can read, nor a package file we know: it may set anything. */
export function readsNothing(resolution: IncludeResolution): boolean {
  return resolution.files.length === 0 && !resolution.providedByPackage;
}

const unseenReads = new WeakMap<NginxTree, boolean>();

/** Whether any `include` of the tree reads nothing we can see: where none does, no level hides a setting. */
function readsUnseenFiles(tree: NginxTree): boolean {
  // Asked on every lookup: a tree without includes answers without a cache or a callback made for it.
  return tree.includes.length > 0 && keptFor(unseenReads, tree, () => tree.includes.some(readsNothing));
}

/**
 * True when an unreadable `include` among `children` may set `name`: only where `name` is allowed, so
 * Debian's `include modules-enabled/*.conf` in the main context hides no http setting. Asked only in trees where
 * `readsUnseenFiles`.
 */
function mayHide(index: LevelIndex, tree: NginxTree, name: string): boolean {
  return index.includes.some((child) => includeKind(child, tree) === 'unreadable' && definitionsAllowedIn(name, child.context).length > 0);
}

/** For an `include` line: `unreadable`, the directive a known package file stands for, or undefined. */
function includeKind(node: NginxNode, tree: NginxTree): string | undefined {
  if (node.directive.name !== 'include') return undefined;
  const resolution = resolutionOf(node, tree);
  if (!resolution) return undefined;
  if (readsNothing(resolution)) return 'unreadable';
  return resolution.providedByPackage ? PACKAGE_FILE_DIRECTIVE[resolution.pattern.replace(/^.*\//, '')] : undefined;
}

/**
 * Replaces one argument of a directive; a directive written without it (`gunzip;`, `http2` cut short by a missing
 * `;`) gets it after its last word.
 */
export function replaceArgument(node: NginxNode, index: number, newText: string): TextEdit {
  const { args, nameRange } = node.directive;
  if (index < args.length) return { file: node.file.id, range: args[index].range, newText };
  const end = args.length > 0 ? args[args.length - 1].range.end : nameRange.end;
  return { file: node.file.id, range: { start: end, end }, newText: ` ${newText}` };
}

/**
 * Inserts directives after `node`: each on its own line with `node`'s indentation when `node` stands
 * alone on its line, else on the same line right after its `;` (a one-line block must keep them inside).
 */
export function insertAfter(node: NginxNode, directives: readonly string[]): TextEdit {
  const { file, directive } = node;
  const end = directive.range.end;
  if (!standsAlone(node)) return { file: file.id, range: { start: end, end }, newText: directives.map((d) => ` ${d}`).join('') };
  const indent = /^[ \t]*/.exec(file.lines.lineText(directive.range.start.line))![0];
  const lineBreak = lineBreakOf(file.text);
  const lineEnd = file.lines.positionAt(file.lines.lineEnd(end.line));
  return { file: file.id, range: { start: lineEnd, end: lineEnd }, newText: directives.map((d) => `${lineBreak}${indent}${d}`).join('') };
}

/** Deletes a directive: its whole line when it stands alone there, else the directive and the blanks after it. */
export function removeDirective(node: NginxNode): TextEdit {
  const { file, directive } = node;
  const lines = file.lines;
  const { start, end } = directive.range;
  if (standsAlone(node)) {
    const lastLine = end.line + 1 >= lines.lineCount;
    const from = lastLine && start.line > 0 ? lines.positionAt(lines.lineEnd(start.line - 1)) : { line: start.line, character: 0 };
    const to = lastLine ? lines.positionAt(lines.lineEnd(end.line)) : { line: end.line + 1, character: 0 };
    return { file: file.id, range: { start: from, end: to }, newText: '' };
  }
  const blanks = /^[ \t]*/.exec(lines.lineText(end.line).slice(end.character))![0].length;
  return { file: file.id, range: { start, end: { line: end.line, character: end.character + blanks } }, newText: '' };
}

/** Nothing but blanks before the directive on its first line, and nothing but blanks or a comment after it. */
function standsAlone(node: NginxNode): boolean {
  const { file, directive } = node;
  const { start, end } = directive.range;
  const before = file.lines.lineText(start.line).slice(0, start.character);
  const after = file.lines.lineText(end.line).slice(end.character);
  return before.trim() === '' && /^[ \t]*(#.*)?$/.test(after);
}
