import { posix } from 'node:path';
import type { CloudflaredParseResult } from '../parsers/cloudflared/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import type { ComposeFile } from '../parsers/compose/parser';
import type { FileSystemHost } from './host';
import { buildNginxTree, isMainConfig, type EarlierTree, type IncludeProblem, type NginxFile, type NginxTree, type TreeLimits } from './nginx-tree';
import { buildOrigin } from './origin';
import type { ParsedFile, WorkspaceModel } from './workspace';

export interface ModelInput {
  nginx: NginxFile[];
  fpm: ParsedFile<FpmParseResult>[];
  cloudflared: ParsedFile<CloudflaredParseResult>[];
  compose: ParsedFile<ComposeFile>[];
  host: FileSystemHost;
  /** Loads a file an `include` names (a workspace file or one read from disk). */
  loadNginx(path: string): NginxFile | IncludeProblem;
  limits?: TreeLimits;
  /** Keeps trees between analyses: a tree whose files did not change need not be followed again. */
  trees?: TreeCache;
}

export interface TreeCache {
  /** The tree built earlier for this root in this role, when none of its files changed since. */
  get(root: NginxFile, main: boolean, nginxRoot: string | undefined): NginxTree | undefined;
  set(tree: NginxTree, nginxRoot: string | undefined): void;
  /** The tree kept for this root in this role that no longer stands, to be rebuilt from (and given up). */
  earlier(root: NginxFile, main: boolean, nginxRoot: string | undefined): EarlierTree | undefined;
}

/** Relates the parsed files: which nginx config includes which, in what context. */
export function buildModel(input: ModelInput): WorkspaceModel {
  const parts = { nginx: input.nginx, fpm: input.fpm, cloudflared: input.cloudflared, compose: input.compose, nginxTrees: buildNginxTrees(input) };
  return { ...parts, origin: buildOrigin(parts) };
}

function buildNginxTrees(input: ModelInput): NginxTree[] {
  const mains = input.nginx.filter(isMainConfigOnce);
  const mainDirs = mains.map((main) => posix.dirname(main.id));
  const build = (root: NginxFile, main: boolean): NginxTree => {
    const nginxRoot = nearestMainDir(root.id, mainDirs);
    const kept = input.trees?.get(root, main, nginxRoot);
    if (kept) return kept;
    const earlier = input.trees?.earlier(root, main, nginxRoot);
    const tree = buildNginxTree({ root, host: input.host, load: input.loadNginx, nginxRoot, limits: input.limits, earlier }, main);
    input.trees?.set(tree, nginxRoot);
    return tree;
  };
  const trees = mains.map((main) => build(main, true));
  const reached = new Set<string>();
  for (const tree of trees) for (const file of tree.files.keys()) reached.add(file);

  // Files no main config reaches are snippets: each is a root unless another snippet includes it.
  const snippets = input.nginx
    .filter((file) => !reached.has(file.id))
    .map((file) => build(file, false));
  const includedBySnippet = new Set<string>();
  for (const tree of snippets) for (const file of tree.files.keys()) if (file !== tree.root.id) includedBySnippet.add(file);
  for (const tree of snippets) {
    // In an include cycle among snippets every file is included by another; keep them all rather than none.
    const includedElsewhere = includedBySnippet.has(tree.root.id) && !snippets.some((other) => other !== tree && other.files.has(tree.root.id) && tree.files.has(other.root.id));
    if (!includedElsewhere) trees.push(tree);
  }
  return trees;
}

const mainConfigs = new WeakMap<NginxFile, boolean>();

/** `isMainConfig`, asked once per parse of a file. */
function isMainConfigOnce(file: NginxFile): boolean {
  let main = mainConfigs.get(file);
  if (main === undefined) mainConfigs.set(file, (main = isMainConfig(file)));
  return main;
}

/** The directory of the main config that sits nearest above a snippet: its most likely conf prefix. */
function nearestMainDir(path: string, mainDirs: string[]): string | undefined {
  let best: string | undefined;
  for (const dir of mainDirs) {
    if (path.startsWith(`${dir}/`) && (!best || dir.length > best.length)) best = dir;
  }
  return best;
}
