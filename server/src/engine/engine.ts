import { appendAll } from '../core/append';
import type { Finding } from '../core/findings';
import { scopeOf, type Rule } from '../core/rule';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import { comparePositions, LineIndex } from '../core/text';
import { buildModel, type TreeCache } from '../model/build';
import type { FileKind } from '../model/classify';
import type { FileSystemHost } from '../model/host';
import { DEFAULT_TREE_LIMITS, type IncludeProblem, type NginxFile, type NginxTree } from '../model/nginx-tree';
import { resolvedPasses, treeOrigin } from '../model/origin';
import type { ParsedFile, WorkspaceModel } from '../model/workspace';
import { parseCloudflared } from '../parsers/cloudflared/parser';
import { parseCompose } from '../parsers/compose/parser';
import type { NginxParseOptions } from '../parsers/nginx/ast';
import { parseNginx } from '../parsers/nginx/parser';
import { reparseNginx } from '../parsers/nginx/reparse';
import { parseFpm } from '../parsers/phpfpm/parser';
import { isKnownNginxDirective } from '../reference/nginx';
import { ALL_RULES } from '../rules';
import { isSuppressed } from './suppression';

/** The rules that report what a format's parser refuses. */
const SYNTAX_RULES = new Set(['nginx/syntax', 'php-fpm/syntax', 'cloudflared/yaml-syntax']);

interface WorkspaceFile {
  kind: FileKind;
  text: string;
  /** Parsed on first use after each change, so typing in one file re-parses only that file. */
  parsed?: ParsedFile<unknown>;
  /**
   * An nginx file's parse before its last change, until it is parsed again: an edit within a line re-reads only the
   * statements around it (see reparse.ts).
   */
  earlier?: NginxFile;
}

/** A tree kept between analyses, with what it was built from, to tell whether it still stands. */
interface KeptTree {
  tree: NginxTree;
  main: boolean;
  nginxRoot: string | undefined;
  fileSetEpoch: number;
}

export interface Analysis {
  model: WorkspaceModel;
  /** Findings in workspace files, sorted by file and position. */
  findings: Finding[];
}

/**
 * The analysis engine the language server and the CLI share: it holds the workspace's files, parses
 * each once per change, relates them in one model and runs every rule on it. It never writes a file.
 */
export class Engine {
  private readonly files = new Map<string, WorkspaceFile>();
  /** Files read only because an `include` names them, keyed by path, re-read when invalidated. */
  private readonly included = new Map<string, NginxFile | IncludeProblem>();
  private readonly failedRules = new Set<string>();
  /** The last analysis, until anything it depends on changes. */
  private latest?: Analysis;
  /** Bumped when a path appears or goes, or a file outside the workspace changes: include globs may match anew. */
  private fileSetEpoch = 0;
  /** Bumped when a PHP-FPM, cloudflared or compose file changes: tree-scope rules read them too. */
  private otherFilesEpoch = 0;
  private readonly keptTrees = new Map<string, KeptTree>();
  /** Each tree-scope rule's findings for a tree, and the state of the other files they were found in. */
  private treeFindings = new WeakMap<NginxTree, { key: string; findings: Finding[] }>();
  private readonly treeIds = new WeakMap<NginxTree, number>();
  private nextTreeId = 0;

  constructor(
    private readonly host: FileSystemHost,
    private settings: Settings = DEFAULT_SETTINGS,
    private readonly log: (message: string) => void = () => {},
    /** The rules to run; tests pass one rule to see its findings alone. */
    private readonly rules: readonly Rule[] = ALL_RULES,
  ) {}

  get currentSettings(): Settings {
    return this.settings;
  }

  setSettings(settings: Settings): void {
    const reparse = settings.nginx.extraDirectives.join('\n') !== this.settings.nginx.extraDirectives.join('\n');
    this.settings = settings;
    this.latest = undefined;
    this.treeFindings = new WeakMap();
    if (reparse) {
      for (const file of this.files.values()) {
        file.parsed = undefined;
        file.earlier = undefined;
      }
      this.included.clear();
    }
  }

  setFile(path: string, text: string, kind: FileKind): void {
    const existing = this.files.get(path);
    if (existing && existing.text === text && existing.kind === kind) return;
    if (!existing || existing.kind !== kind) this.fileSetEpoch++;
    if (kind !== 'nginx' || existing?.kind !== 'nginx') this.otherFilesEpoch++;
    const earlier = kind === 'nginx' && existing?.kind === 'nginx' ? ((existing.parsed as NginxFile | undefined) ?? existing.earlier) : undefined;
    this.files.set(path, { kind, text, earlier });
    this.included.delete(path);
    this.latest = undefined;
  }

  deleteFile(path: string): void {
    const existing = this.files.get(path);
    if (existing) {
      this.fileSetEpoch++;
      if (existing.kind !== 'nginx') this.otherFilesEpoch++;
    }
    this.files.delete(path);
    this.included.delete(path);
    this.latest = undefined;
  }

  /** Forget what was read of a file outside the workspace (it changed on disk). A workspace file's own text is set with `setFile`. */
  invalidate(path: string): void {
    if (this.files.has(path)) return;
    this.included.delete(path);
    this.fileSetEpoch++;
    this.latest = undefined;
  }

  kindOf(path: string): FileKind | undefined {
    return this.files.get(path)?.kind;
  }

  /** The file's parse tree, parsing it now if it changed since the last analysis. */
  parsedFile(path: string): ParsedFile<unknown> | undefined {
    const file = this.files.get(path);
    return file && file.kind !== 'compose' ? this.parsed(path, file) : undefined;
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  /** Analyses the workspace, or returns the last analysis when nothing changed since. */
  analyze(): Analysis {
    if (this.latest) return this.latest;
    const model = this.buildModel();
    const roots = new Set(model.nginxTrees.map((tree) => tree.root.id));
    for (const root of this.keptTrees.keys()) if (!roots.has(root)) this.keptTrees.delete(root);
    const active = this.rules.filter((rule) => this.settings.rules[rule.id] !== 'off');
    const treeRules = active.filter((rule) => scopeOf(rule) === 'tree');
    const findings: Finding[] = [];
    const treesKey = model.nginxTrees.map((tree) => this.treeId(tree)).join(',');
    for (const tree of model.nginxTrees) {
      // A snippet may use upstreams of other trees, so its findings are kept only while every tree is.
      const key = tree.inferred ? `${this.otherFilesEpoch}:${treesKey}` : `${this.otherFilesEpoch}`;
      let kept = this.treeFindings.get(tree);
      if (kept?.key !== key) {
        const view = this.treeView(tree, model);
        kept = { key, findings: [] };
        for (const rule of treeRules) this.runRule(rule, view, kept.findings);
        this.treeFindings.set(tree, kept);
      }
      appendAll(findings, kept.findings);
    }
    for (const rule of active) if (scopeOf(rule) === 'workspace') this.runRule(rule, model, findings);
    this.latest = { model, findings: this.finish(findings) };
    return this.latest;
  }

  /** The workspace as a tree-scope rule sees it: this one nginx configuration, and every other kind of file. */
  private treeView(tree: NginxTree, model: WorkspaceModel): WorkspaceModel {
    const nginx: NginxFile[] = [];
    for (const path of tree.files.keys()) {
      const file = this.files.get(path);
      if (file?.kind === 'nginx' && file.parsed) nginx.push(file.parsed as NginxFile);
    }
    const { pools, ingress, workspaceUpstreams } = model.origin;
    const passes = resolvedPasses(tree, workspaceUpstreams);
    return { ...model, nginx, nginxTrees: [tree], origin: { ...treeOrigin(tree), workspaceUpstreams, passes, pools, ingress } };
  }

  private treeId(tree: NginxTree): number {
    let id = this.treeIds.get(tree);
    if (id === undefined) this.treeIds.set(tree, (id = this.nextTreeId++));
    return id;
  }

  private buildModel(): WorkspaceModel {
    const nginx: NginxFile[] = [];
    const fpm: WorkspaceModel['fpm'] = [];
    const cloudflared: WorkspaceModel['cloudflared'] = [];
    const compose: WorkspaceModel['compose'] = [];
    for (const [path, file] of this.files) {
      if (file.kind === 'nginx') nginx.push(this.parsed(path, file) as NginxFile);
      else if (file.kind === 'php-fpm') fpm.push(this.parsed(path, file) as WorkspaceModel['fpm'][number]);
      else if (file.kind === 'cloudflared') cloudflared.push(this.parsed(path, file) as WorkspaceModel['cloudflared'][number]);
      else if (file.kind === 'compose') compose.push(this.parsed(path, file) as WorkspaceModel['compose'][number]);
    }
    return buildModel({ nginx, fpm, cloudflared, compose, host: this.host, loadNginx: (path) => this.loadNginx(path), trees: this.treeCache });
  }

  private readonly treeCache: TreeCache = {
    get: (root, main, nginxRoot) => {
      const kept = this.keptTrees.get(root.id);
      // A tree holds each file's parse as it read it: it stands while every one is the parse read now.
      const unchanged = kept !== undefined && kept.tree.root === root && kept.main === main && kept.nginxRoot === nginxRoot
        && kept.fileSetEpoch === this.fileSetEpoch && [...kept.tree.files].every(([path, read]) => this.loadedNow(path) === read);
      return unchanged ? kept.tree : undefined;
    },
    earlier: (root, main, nginxRoot) => {
      const kept = this.keptTrees.get(root.id);
      if (kept?.main !== main || kept.nginxRoot !== nginxRoot) return undefined;
      // Given up: its nodes become the new tree's, so it must not be found again.
      this.keptTrees.delete(root.id);
      if (kept.fileSetEpoch !== this.fileSetEpoch) return { tree: kept.tree };
      const changedFiles = new Set([...kept.tree.files].filter(([path, read]) => this.loadNginx(path) !== read).map(([path]) => path));
      return { tree: kept.tree, changedFiles };
    },
    set: (tree, nginxRoot) => {
      this.keptTrees.set(tree.root.id, { tree, main: !tree.inferred, nginxRoot, fileSetEpoch: this.fileSetEpoch });
    },
  };

  /** What `loadNginx` would return now, without reading or parsing anything: undefined when that has to happen. */
  private loadedNow(path: string): NginxFile | IncludeProblem | undefined {
    const own = this.files.get(path);
    if (own?.kind === 'nginx') return own.parsed as NginxFile | undefined;
    return this.included.get(path);
  }

  private parsed(path: string, file: WorkspaceFile): ParsedFile<unknown> {
    if (!file.parsed) {
      file.parsed = { id: path, text: file.text, lines: new LineIndex(file.text), parse: this.parse(file.kind, file.text, file.earlier) };
      file.earlier = undefined;
    }
    return file.parsed;
  }

  private parse(kind: FileKind, text: string, earlier: NginxFile | undefined): unknown {
    if (kind === 'nginx') return earlier ? reparseNginx(earlier, text, this.nginxParseOptions()) : this.parseNginxText(text);
    if (kind === 'php-fpm') return parseFpm(text);
    if (kind === 'cloudflared') return parseCloudflared(text);
    return parseCompose(text);
  }

  private parseNginxText(text: string) {
    return parseNginx(text, this.nginxParseOptions());
  }

  private nginxParseOptions(): NginxParseOptions {
    const extra = this.settings.nginx.extraDirectives;
    return { isDirectiveName: (name) => isKnownNginxDirective(name, extra) };
  }

  /** An `include` target: the workspace's own copy when it has one, else the file on disk. */
  private loadNginx(path: string): NginxFile | IncludeProblem {
    const own = this.files.get(path);
    if (own?.kind === 'nginx') return this.parsed(path, own) as NginxFile;
    const cached = this.included.get(path);
    if (cached) return cached;
    const loaded = own ? this.nginxFile(path, own.text) : this.readIncluded(path);
    this.included.set(path, loaded);
    return loaded;
  }

  private readIncluded(path: string): NginxFile | IncludeProblem {
    const stat = this.host.stat(path);
    if (!stat) return { kind: 'not-found', path };
    if (stat.withheld) return { kind: 'untrusted', path };
    // Only a regular file of a configuration's size is read: a FIFO would block and /dev/zero never end.
    if (!stat.isFile) return { kind: 'not-a-file', path, what: stat.isDirectory ? 'directory' : stat.special };
    if (stat.size > DEFAULT_TREE_LIMITS.maxIncludedBytes) return { kind: 'too-large', path, size: stat.size };
    const text = this.host.readFile(path);
    return text === undefined ? { kind: 'unreadable', path } : this.nginxFile(path, text);
  }

  private nginxFile(path: string, text: string): NginxFile {
    return { id: path, text, lines: new LineIndex(text), parse: this.parseNginxText(text) };
  }

  private runRule(rule: Rule, model: WorkspaceModel, findings: Finding[]): void {
    const override = this.settings.rules[rule.id];
    try {
      rule.check({
        model,
        settings: this.settings,
        report: (r) => findings.push({
          rule: rule.id,
          severity: override && override !== 'off' ? override : r.severity ?? rule.defaultSeverity,
          file: r.file,
          range: r.range,
          message: r.message,
          ...(r.related?.length ? { related: r.related } : {}),
          ...(r.fixes?.length ? { fixes: r.fixes } : {}),
        }),
      });
    } catch (error) {
      // One broken rule must not silence the others; say so once, not on every keystroke.
      if (!this.failedRules.has(rule.id)) {
        this.failedRules.add(rule.id);
        this.log(`rule ${rule.id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      }
    }
  }

  /**
   * Keeps workspace files' findings, drops suppressed ones and the duplicates a twice-included file yields, and
   * lets a syntax error speak alone where it stands: what another rule reads there is the parser's recovery.
   */
  private finish(findings: Finding[]): Finding[] {
    const seen = new Set<string>();
    const at = (f: Finding) => `${f.file}\0${f.range.start.line}:${f.range.start.character}`;
    const syntaxAt = new Set(findings.filter((f) => SYNTAX_RULES.has(f.rule)).map(at));
    const kept: Finding[] = [];
    for (const finding of findings) {
      const file = this.files.get(finding.file);
      if (!file?.parsed) continue;
      if (!SYNTAX_RULES.has(finding.rule) && syntaxAt.has(at(finding))) continue;
      const key = `${finding.rule}\0${at(finding)}\0${finding.message}`;
      if (seen.has(key) || isSuppressed(finding, file.parsed.lines)) continue;
      seen.add(key);
      kept.push(finding);
    }
    kept.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : comparePositions(a.range.start, b.range.start)));
    return firstPerFile(kept, this.settings.maxProblemsPerFile);
  }
}

/**
 * The first `limit` findings of each file (sorted by file and place), the last of them saying how many more there
 * are: a damaged or mistaken file (a binary, a minified page) yields one per stray character, and hundreds of
 * thousands of them would stall the editor that shows them.
 */
function firstPerFile(sorted: Finding[], limit: number): Finding[] {
  const shown: Finding[] = [];
  for (let start = 0; start < sorted.length;) {
    let end = start + 1;
    while (end < sorted.length && sorted[end].file === sorted[start].file) end++;
    const count = end - start;
    for (let i = start; i < Math.min(end, start + limit); i++) shown.push(sorted[i]);
    if (count > limit) {
      const last = shown[shown.length - 1];
      const more = count - limit;
      shown[shown.length - 1] = {
        ...last,
        message: `${last.message} (${more} more ${more === 1 ? 'problem' : 'problems'} in this file not shown: originDoctor.maxProblemsPerFile is ${limit})`,
      };
    }
    start = end;
  }
  return shown;
}
