import { posix } from 'node:path';
import { appendAll } from '../core/append';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import { shiftedFrom } from '../parsers/nginx/parser';
import { nginxDirective } from '../reference/nginx';
import { expandGlob, isGlobPattern } from './glob';
import type { FileSystemHost, SpecialFile } from './host';
import { childContext, definitionsAllowedIn, MAIN_CONTEXT, type NginxContext } from './nginx-context';
import type { ParsedFile } from './workspace';

export type NginxFile = ParsedFile<NginxParseResult>;

/** One occurrence of a directive in the configuration nginx would load, with `include`s spliced in. */
export interface NginxNode {
  directive: NginxDirective;
  file: NginxFile;
  parent: NginxNode | null;
  /** The context the directive stands in. */
  context: NginxContext;
  children: NginxNode[];
  /** The `include` that brought this directive's file in, for every directive of an included file (at any depth). */
  includedBy?: NginxNode;
  /** Where the node stands in its tree's `inOrder`: lists of `byName` merge in document order by it. */
  order: number;
}

export type IncludeProblem =
  | { kind: 'not-found'; path: string }
  /** `what` it is instead, when the host says. */
  | { kind: 'not-a-file'; path: string; what?: 'directory' | SpecialFile }
  /** It exists, but reading it failed (no read permission). */
  | { kind: 'unreadable'; path: string }
  /** Not looked at: it lies outside the folders of an untrusted workspace (`path` is the pattern for a glob). */
  | { kind: 'untrusted'; path: string }
  | { kind: 'too-large'; path: string; size: number }
  | { kind: 'cycle'; path: string; chain: string[] }
  | { kind: 'too-many'; pattern: string; limit: number };

export interface IncludeResolution {
  node: NginxNode;
  pattern: string;
  /** Where a relative pattern was resolved, and why there. */
  base: { dir: string; reason: 'conf prefix' | 'including file' | 'nginx root' };
  files: string[];
  problems: IncludeProblem[];
  /** A standard file of the nginx package (mime.types, fastcgi_params…) that the workspace does not hold. */
  providedByPackage: boolean;
}

export interface NginxTree {
  root: NginxFile;
  rootContext: NginxContext;
  /** True when the root is a snippet whose context was inferred from its content. */
  inferred: boolean;
  nodes: NginxNode[];
  /** Every node of the tree, depth first in document order (the order nginx reads them), for walks over all of them. */
  inOrder: NginxNode[];
  /** The nodes of `inOrder` by directive name, each list in document order: a rule after a few names reads only theirs. */
  byName: ReadonlyMap<string, readonly NginxNode[]>;
  includes: IncludeResolution[];
  /** Every file this tree reads, the root included, by path: the parse of it that was read. */
  files: Map<string, NginxFile>;
  /**
   * The tree this one took nodes over from, and those of them whose blocks now hold other nodes (a file read inside
   * changed), until `treeOrigin` has taken over what it made of the others; then cleared, so that no tree holds on
   * to the one before.
   */
  rebuiltFrom?: { tree: NginxTree; reshaped: ReadonlySet<NginxNode> };
}

export interface TreeLimits {
  maxGlobMatches: number;
  maxIncludedBytes: number;
}

export const DEFAULT_TREE_LIMITS: TreeLimits = { maxGlobMatches: 20000, maxIncludedBytes: 16 * 1024 * 1024 };

/** Files every nginx package installs next to nginx.conf; a repo that keeps only its sites need not hold them. */
const PACKAGE_FILES = new Set([
  'mime.types', 'fastcgi_params', 'fastcgi.conf', 'proxy_params', 'uwsgi_params', 'scgi_params', 'koi-utf', 'koi-win',
  'win-utf', 'snippets/fastcgi-php.conf', 'snippets/snakeoil.conf',
]);

export interface TreeInput {
  root: NginxFile;
  host: FileSystemHost;
  /** Resolves a path to its parsed file, or a reason it cannot be read. */
  load(path: string): NginxFile | IncludeProblem;
  /** The directory of the main config of the workspace, when one is known (for snippets). */
  nginxRoot?: string;
  limits?: TreeLimits;
  /**
   * The tree built from this root before one of its files was edited, given up to this build: the nodes of what the
   * edit did not touch are taken over (and changed), not made anew. Never used again by the caller.
   */
  earlier?: EarlierTree;
}

export interface EarlierTree {
  tree: NginxTree;
  /** The paths whose parse changed since; absent when a file may have appeared or gone (a glob may match others). */
  changedFiles?: ReadonlySet<string>;
}

const IF_CANDIDATES: NginxContext[] = [
  { block: 'http', family: 'http' },
  { block: 'server', family: 'http' },
  { block: 'location', family: 'http' },
  { block: 'stream', family: 'stream' },
  { block: 'server', family: 'stream' },
  MAIN_CONTEXT,
];

/** A main config sets directives that live only in the main context (`http`, `events`, `worker_processes`…). */
export function isMainConfig(file: NginxFile): boolean {
  if (posix.basename(file.id) === 'nginx.conf') return true;
  return file.parse.directives.some((d) => {
    const defs = nginxDirective(d.name);
    return defs.length > 0 && defs.every((info) => info.contexts.length === 1 && info.contexts[0] === 'main');
  });
}

/** The context that fits a snippet's own directives best, so rules judge its blocks as nginx would. */
export function inferSnippetContext(file: NginxFile): NginxContext {
  let best = IF_CANDIDATES[0];
  let bestMisfits = Infinity;
  for (const candidate of IF_CANDIDATES) {
    let misfits = 0;
    for (const d of file.parse.directives) {
      misfits += misfit(d, candidate);
      if (d.block) {
        const inner = childContext(candidate, d.name);
        for (const child of d.block.children) misfits += misfit(child, inner);
      }
    }
    if (misfits < bestMisfits) {
      best = candidate;
      bestMisfits = misfits;
    }
    if (misfits === 0) break;
  }
  return best;
}

function misfit(d: NginxDirective, context: NginxContext): number {
  if (context.block === 'raw' || d.name === 'include' || nginxDirective(d.name).length === 0) return 0;
  return definitionsAllowedIn(d.name, context).length === 0 ? 1 : 0;
}

/** What a directive without a block holds: one list for all of them (never written to). */
const NO_CHILDREN: NginxNode[] = [];

/**
 * A directive's occurrence in a tree. Made by an object literal, not by `new`: a big config holds one for every
 * directive it loads, all kept as long as the tree is, and V8 learns to make a literal's objects where long-lived
 * objects go (it never does so for `new`), rather than copying each out of the young generation later.
 * `parent` and `file` change when a tree rebuilt after an edit takes the node over from the tree before (see `lineUp`),
 * and `directive` too when the edit moved it down (a copy of it stands in the file's parse now).
 */
function treeNode(directive: NginxDirective, file: NginxFile, parent: NginxNode | null, context: NginxContext, includedBy: NginxNode | undefined): NginxNode {
  return { directive, file, parent, context, children: NO_CHILDREN, includedBy, order: 0 };
}

/** True at the top of a snippet whose context was guessed: never flag what may be right in its real home. */
export function isContextInferred(node: NginxNode, tree: NginxTree): boolean {
  return tree.inferred && node.parent === null;
}

/**
 * How a level of the tree built before an edit lines up with the same level now. A re-read file shares every
 * directive the edit did not touch with its earlier parse, or has a copy of it moved down (see reparse.ts): the
 * directives at the level's start and end that are the same keep their nodes, whole subtrees with them, and a block
 * re-read in between is matched with the block it replaces, to look inside it the same way.
 */
interface EarlierLevel {
  nodes: readonly NginxNode[];
  sameAtStart: number;
  sameAtEnd: number;
}

function lineUp(directives: readonly NginxDirective[], nodes: readonly NginxNode[]): EarlierLevel {
  const shorter = Math.min(directives.length, nodes.length);
  let sameAtStart = 0;
  while (sameAtStart < shorter && isSame(nodes[sameAtStart].directive, directives[sameAtStart])) sameAtStart++;
  let sameAtEnd = 0;
  while (sameAtEnd < shorter - sameAtStart && isSame(nodes[nodes.length - 1 - sameAtEnd].directive, directives[directives.length - 1 - sameAtEnd])) sameAtEnd++;
  return { nodes, sameAtStart, sameAtEnd };
}

/** The directive as parsed before, or as moved down by an edit above it since. */
function isSame(before: NginxDirective, now: NginxDirective): boolean {
  return before === now || shiftedFrom(now) === before;
}

/**
 * The earlier node that stands for `directives[index]`: one of the same directive (taken over whole), or the block
 * it replaces (looked into the same way); undefined when none does.
 */
function earlierNode(level: EarlierLevel, directives: readonly NginxDirective[], index: number): NginxNode | undefined {
  const { nodes, sameAtStart, sameAtEnd } = level;
  if (index < sameAtStart) return nodes[index];
  const fromEnd = directives.length - 1 - index;
  if (fromEnd < sameAtEnd) return nodes[nodes.length - 1 - fromEnd];
  const replaced = index < nodes.length - sameAtEnd ? nodes[index] : undefined;
  const directive = directives[index];
  return replaced && directive.block && replaced.directive.block && replaced.directive.name === directive.name ? replaced : undefined;
}

interface Frame {
  directives: readonly NginxDirective[];
  index: number;
  file: NginxFile;
  parent: NginxNode | null;
  context: NginxContext;
  /** Where this level's nodes start on the builder's stack of nodes; -1 for an included file's frame, which adds to its including level's. */
  firstNode: number;
  includedBy?: NginxNode;
  /** Files on the include path to here, for cycle detection. */
  chain: string[];
  /** This level in the tree built before the last edit, when its nodes may be taken over. */
  earlier?: EarlierLevel;
}

/**
 * Builds the configuration nginx would load from `root`, following `include` as nginx does: relative
 * paths against the conf prefix (the main config's directory), globs expanded and sorted. Iterative, so
 * nesting depth is bounded by memory, not by the call stack.
 */
export function buildNginxTree(input: TreeInput, main: boolean): NginxTree {
  const rootContext = main ? MAIN_CONTEXT : inferSnippetContext(input.root);
  const earlier = input.earlier;
  const spliced = earlier && spliceChangedFiles(earlier, input, main, rootContext);
  if (spliced) return spliced;
  const tree: NginxTree = {
    root: input.root,
    rootContext,
    inferred: !main,
    nodes: [],
    inOrder: [],
    byName: new Map(),
    includes: [],
    files: new Map([[input.root.id, input.root]]),
  };
  // Nodes are taken over only from a tree of this one file, read in the same context: an include's files and the
  // path to them would have to be checked again.
  const before = earlier?.tree;
  const reusable = before !== undefined && before.root.id === input.root.id && before.includes.length === 0 && before.rootContext === rootContext;
  // Every node in document order: as long as the earlier tree's when nodes are taken over, so it rarely grows.
  const inOrder = new InOrder(reusable ? before.inOrder.length : 0);
  // Nodes are taken over with their whole subtree unchanged (see `adopt`): none holds other nodes now.
  if (reusable) tree.rebuiltFrom = { tree: before, reshaped: new Set() };
  const builder = new TreeBuilder(tree, input, main, inOrder);
  builder.run([{
    directives: input.root.parse.directives, index: 0, file: input.root, parent: null, context: rootContext,
    firstNode: 0, chain: [input.root.id],
    earlier: reusable ? lineUp(input.root.parse.directives, before.nodes) : undefined,
  }]);
  tree.nodes = builder.nodes.slice();
  tree.inOrder = inOrder.nodes();
  tree.byName = inOrder.byName;
  tree.includes = builder.includes;
  return tree;
}

/**
 * The tree rebuilt after edits to files it includes, its root unchanged: each node of the other files is taken over
 * where it stands, and each place a changed file is read in is read anew, with what it includes. Undefined where that
 * would not give what a fresh build gives: a file may have appeared or gone (a glob may match others), an include
 * loops (nginx follows it only where first met), a changed file was empty (its place is not in the tree) or no longer
 * loads, or it now includes other files than before.
 */
function spliceChangedFiles(earlier: EarlierTree, input: TreeInput, main: boolean, rootContext: NginxContext): NginxTree | undefined {
  const { tree: before, changedFiles } = earlier;
  if (!changedFiles || changedFiles.size === 0 || before.root !== input.root || before.rootContext !== rootContext || before.inferred === main) return undefined;
  if (before.includes.some((resolution) => resolution.problems.some((problem) => problem.kind === 'cycle'))) return undefined;
  const replaced = new Map<NginxFile, NginxFile>();
  for (const path of changedFiles) {
    const was = before.files.get(path);
    const now = input.load(path);
    if (!was || 'kind' in now || was.parse.directives.length === 0) return undefined;
    replaced.set(was, now);
  }
  const tree: NginxTree = {
    root: input.root, rootContext, inferred: !main, nodes: before.nodes, inOrder: [], byName: new Map(), includes: before.includes,
    files: new Map(before.files),
  };
  for (const now of replaced.values()) tree.files.set(now.id, now);
  const inOrder = new InOrder(before.inOrder.length);
  // Each read of a changed file, by its first node before the edit: its nodes then, and the nodes at its level now.
  const reads = new Map<NginxNode, { was: Set<NginxNode>; now: NginxNode[] }>();
  // The includes read anew, each for the one it stands in for.
  const rereadIncludes = new Map<IncludeResolution, IncludeResolution>();
  // The blocks a changed file is read in, and every block around them: their subtrees changed.
  const reshaped = new Set<NginxNode>();
  const old = before.inOrder;
  for (let i = 0; i < old.length;) {
    const first = old[i];
    const now = replaced.get(first.file);
    if (!now) {
      inOrder.add(first);
      i++;
      continue;
    }
    // This read's nodes run on in document order: the file's own (its top ones came by this include), and those of
    // the files it includes, until another file's or the next read's.
    const includedBy = first.includedBy;
    const was = new Set([first]);
    for (i++; i < old.length; i++) {
      const node = old[i];
      const inRead = node.file === first.file ? node.includedBy === includedBy : was.has(node.includedBy as NginxNode);
      if (!inRead) break;
      was.add(node);
    }
    const chain = [first.file.id];
    for (let site = includedBy; site; site = site.includedBy) chain.unshift(site.file.id);
    const builder = new TreeBuilder(tree, input, main, inOrder);
    builder.run([{
      directives: now.parse.directives, index: 0, file: now, parent: first.parent, context: first.context,
      firstNode: -1, includedBy, chain,
    }]);
    const wasIncludes = before.includes.filter((resolution) => was.has(resolution.node));
    if (!sameIncludes(wasIncludes, builder.includes)) return undefined;
    wasIncludes.forEach((resolution, k) => rereadIncludes.set(resolution, builder.includes[k]));
    reads.set(first, { was, now: builder.nodes });
    for (let level = first.parent; level && !reshaped.has(level); level = level.parent) reshaped.add(level);
  }
  if (rereadIncludes.size > 0) tree.includes = before.includes.map((resolution) => rereadIncludes.get(resolution) ?? resolution);
  for (const level of new Set([...reads.keys()].map((first) => first.parent))) {
    const children = level ? level.children : before.nodes;
    const now: NginxNode[] = [];
    for (let k = 0; k < children.length; k++) {
      const read = reads.get(children[k]);
      if (!read) {
        now.push(children[k]);
        continue;
      }
      appendAll(now, read.now);
      while (k + 1 < children.length && read.was.has(children[k + 1])) k++;
    }
    if (level) level.children = now;
    else tree.nodes = now;
  }
  tree.inOrder = inOrder.nodes();
  tree.byName = inOrder.byName;
  tree.rebuiltFrom = { tree: before, reshaped };
  return tree;
}

/** Whether a read's includes match the same files as before, with the same problems: then the tree reads the same files. */
function sameIncludes(was: readonly IncludeResolution[], now: readonly IncludeResolution[]): boolean {
  const plain = ({ pattern, base, files, problems, providedByPackage }: IncludeResolution) => JSON.stringify({ pattern, base, files, problems, providedByPackage });
  return was.length === now.length && was.every((resolution, k) => plain(resolution) === plain(now[k]));
}

/** Makes the nodes of a tree's frames, depth first in document order, following `include` as nginx does. */
class TreeBuilder {
  /**
   * The nodes of every open level, innermost last: a block's are cut off into its `children` when its frame ends,
   * so no list grows by `push` and is copied again without its spare room. What is left is the top level's.
   */
  readonly nodes: NginxNode[] = [];
  /**
   * An include that loops is followed where it is first met, not again on every other path to it: nginx never
   * finishes reading it anyway, and files that all include one glob would otherwise be read in every order.
   */
  private readonly looping = new Set<NginxDirective>();
  /** The includes met, in the order nginx reads them. */
  readonly includes: IncludeResolution[] = [];
  private readonly limits: TreeLimits;
  private readonly rootDir: string;

  constructor(
    private readonly tree: NginxTree,
    private readonly input: TreeInput,
    private readonly main: boolean,
    private readonly inOrder: InOrder,
  ) {
    this.limits = input.limits ?? DEFAULT_TREE_LIMITS;
    this.rootDir = posix.dirname(input.root.id);
  }

  run(stack: Frame[]): void {
    const { tree, input, main, nodes, inOrder, looping } = this;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.index >= frame.directives.length) {
        stack.pop();
        // A block's children are complete when its own frame ends (its includes' frames end before it).
        if (frame.parent && frame.firstNode >= 0) {
          frame.parent.children = nodes.slice(frame.firstNode);
          nodes.length = frame.firstNode;
        }
        continue;
      }
      const index = frame.index++;
      const directive = frame.directives[index];
      const before = frame.earlier && earlierNode(frame.earlier, frame.directives, index);
      if (before && isSame(before.directive, directive)) {
        adopt(before, directive, frame.parent, frame.file, inOrder);
        nodes.push(before);
        continue;
      }
      const node = treeNode(directive, frame.file, frame.parent, frame.context, frame.includedBy);
      nodes.push(node);
      inOrder.add(node);
      if (directive.block) {
        stack.push({
          directives: directive.block.children, index: 0, file: frame.file, parent: node,
          context: childContext(frame.context, directive.name), firstNode: nodes.length, includedBy: frame.includedBy, chain: frame.chain,
          earlier: before ? lineUp(directive.block.children, before.children) : undefined,
        });
      } else if (directive.name === 'include' && directive.argValues.length === 1 && frame.context.block !== 'raw' && !looping.has(directive)) {
        const resolution = resolveInclude(node, directive.argValues[0], main ? this.rootDir : posix.dirname(frame.file.id), main, input, this.limits);
        this.includes.push(resolution);
        // One loop per include is enough to say it loops: the first in nginx's reading order.
        const loopsTo = resolution.files.find((path) => frame.chain.includes(path));
        if (loopsTo !== undefined) {
          looping.add(directive);
          resolution.problems.push({ kind: 'cycle', path: loopsTo, chain: [...frame.chain, loopsTo] });
        }
        // Pushed last-first so the first matched file is read first, as nginx does.
        for (let i = resolution.files.length - 1; i >= 0; i--) {
          const path = resolution.files[i];
          if (frame.chain.includes(path)) continue;
          const loaded = input.load(path);
          if ('kind' in loaded) {
            resolution.problems.push(loaded);
            continue;
          }
          tree.files.set(path, loaded);
          stack.push({
            directives: loaded.parse.directives, index: 0, file: loaded, parent: frame.parent, context: frame.context,
            firstNode: -1, includedBy: node, chain: [...frame.chain, path],
          });
        }
      }
    }
  }
}

/**
 * A tree's list of all its nodes, written in place into a list of the expected length, then cut to size; and the same
 * nodes by name, gathered here while each node is at hand rather than by a walk of its own later.
 */
class InOrder {
  private readonly list: NginxNode[];
  private count = 0;
  readonly byName = new Map<string, NginxNode[]>();

  constructor(private readonly expected: number) {
    this.list = expected > 0 ? new Array<NginxNode>(expected) : [];
  }

  add(node: NginxNode): void {
    node.order = this.count;
    // Writing past the end of a list made at a length is slow in V8: past it, push.
    if (this.count < this.expected) this.list[this.count] = node;
    else this.list.push(node);
    this.count++;
    const name = node.directive.name;
    const named = this.byName.get(name);
    if (named) named.push(node);
    else this.byName.set(name, [node]);
  }

  nodes(): NginxNode[] {
    if (this.count === this.expected) return this.list;
    // Grown by push (with room to spare), or shorter than expected: cut to size.
    return this.list.slice(0, this.count);
  }
}

/**
 * Takes over an earlier node with its subtree: under its new parent, in the file as now read, in document order, and
 * with `directive`, which may be a moved copy of the node's (see `giveMovedCopies`).
 */
function adopt(node: NginxNode, directive: NginxDirective, parent: NginxNode | null, file: NginxFile, inOrder: InOrder): void {
  node.parent = parent;
  if (node.directive !== directive) giveMovedCopies(node, directive);
  const pending: NginxNode[] = [node];
  while (pending.length > 0) {
    const next = pending.pop() as NginxNode;
    next.file = file;
    inOrder.add(next);
    for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i]);
  }
}

/**
 * Gives every node of a subtree its directive's copy moved down by an edit above it. A tree taken over holds no
 * include, so its nodes match the directives of its blocks one for one.
 */
function giveMovedCopies(node: NginxNode, directive: NginxDirective): void {
  const pending: NginxNode[] = [node];
  const copies: NginxDirective[] = [directive];
  while (pending.length > 0) {
    const next = pending.pop() as NginxNode;
    const copy = copies.pop() as NginxDirective;
    next.directive = copy;
    if (next.children.length === 0) continue;
    const children = copy.block!.children;
    for (let i = 0; i < next.children.length; i++) {
      pending.push(next.children[i]);
      copies.push(children[i]);
    }
  }
}

function resolveInclude(
  node: NginxNode, pattern: string, baseDir: string, main: boolean, input: TreeInput, limits: TreeLimits,
): IncludeResolution {
  const first = { dir: baseDir, reason: main ? 'conf prefix' : 'including file' } as const;
  const candidates: Array<{ path: string; base: IncludeResolution['base'] }> = [
    { path: pattern.startsWith('/') ? pattern : posix.join(baseDir, pattern), base: first },
  ];
  // A repo that mirrors /etc/nginx (its nginx.conf's folder stands for /etc/nginx), or a snippet whose main
  // config lives elsewhere in the workspace.
  const nginxRoot = input.nginxRoot ?? (main ? baseDir : undefined);
  const tail = pattern.startsWith('/etc/nginx/') ? pattern.slice('/etc/nginx/'.length) : pattern.startsWith('/') || nginxRoot === baseDir ? undefined : pattern;
  if (nginxRoot && nginxRoot !== '/etc/nginx' && tail !== undefined) {
    candidates.push({ path: posix.join(nginxRoot, tail), base: { dir: nginxRoot, reason: 'nginx root' } });
  }
  // A candidate outside an untrusted workspace is not looked at: the next one may still be found in it.
  let withheld: IncludeProblem | undefined;
  for (const candidate of candidates) {
    const found = matchInclude(candidate.path, input, limits);
    if (found.files.length > 0 || found.problems.some((p) => p.kind !== 'untrusted')) {
      return { node, pattern, base: candidate.base, ...found, providedByPackage: false };
    }
    withheld ??= found.problems[0];
  }
  const resolution: IncludeResolution = { node, pattern, base: first, files: [], problems: withheld ? [withheld] : [], providedByPackage: false };
  // A glob that matches nothing is fine for nginx; a missing plain file stops it.
  if (!isGlobPattern(pattern)) {
    if (PACKAGE_FILES.has(pattern.replace(/^\/etc\/nginx\//, ''))) resolution.providedByPackage = true;
    else if (!withheld) resolution.problems.push({ kind: 'not-found', path: candidates[0].path });
  }
  return resolution;
}

function matchInclude(path: string, input: TreeInput, limits: TreeLimits): { files: string[]; problems: IncludeProblem[] } {
  if (isGlobPattern(path)) {
    const { paths, truncated, withheld } = expandGlob(input.host, path, limits.maxGlobMatches);
    const problems: IncludeProblem[] = [];
    if (truncated) problems.push({ kind: 'too-many', pattern: path, limit: limits.maxGlobMatches });
    if (withheld) problems.push({ kind: 'untrusted', path });
    return { files: paths, problems };
  }
  const loaded = input.load(path);
  if (!('kind' in loaded)) return { files: [path], problems: [] };
  return loaded.kind === 'not-found' ? { files: [], problems: [] } : { files: [], problems: [loaded] };
}
