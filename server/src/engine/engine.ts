import type { Finding } from '../core/findings';
import type { Rule } from '../core/rule';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import { comparePositions, LineIndex } from '../core/text';
import { buildModel } from '../model/build';
import type { FileKind } from '../model/classify';
import type { FileSystemHost } from '../model/host';
import { DEFAULT_TREE_LIMITS, type IncludeProblem, type NginxFile } from '../model/nginx-tree';
import type { ParsedFile, WorkspaceModel } from '../model/workspace';
import { parseCloudflared } from '../parsers/cloudflared/parser';
import { parseCompose } from '../parsers/compose/parser';
import { parseNginx } from '../parsers/nginx/parser';
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
    if (reparse) {
      for (const file of this.files.values()) file.parsed = undefined;
      this.included.clear();
    }
  }

  setFile(path: string, text: string, kind: FileKind): void {
    const existing = this.files.get(path);
    if (existing && existing.text === text && existing.kind === kind) return;
    this.files.set(path, { kind, text });
    this.included.delete(path);
    this.latest = undefined;
  }

  deleteFile(path: string): void {
    this.files.delete(path);
    this.included.delete(path);
    this.latest = undefined;
  }

  /** Forget what was read of a file outside the workspace (it changed on disk). */
  invalidate(path: string): void {
    this.included.delete(path);
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
    const findings: Finding[] = [];
    for (const rule of this.rules) {
      if (this.settings.rules[rule.id] !== 'off') this.runRule(rule, model, findings);
    }
    this.latest = { model, findings: this.finish(findings) };
    return this.latest;
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
    return buildModel({ nginx, fpm, cloudflared, compose, host: this.host, loadNginx: (path) => this.loadNginx(path) });
  }

  private parsed(path: string, file: WorkspaceFile): ParsedFile<unknown> {
    file.parsed ??= { id: path, text: file.text, lines: new LineIndex(file.text), parse: this.parse(file.kind, file.text) };
    return file.parsed;
  }

  private parse(kind: FileKind, text: string): unknown {
    if (kind === 'nginx') return this.parseNginxText(text);
    if (kind === 'php-fpm') return parseFpm(text);
    if (kind === 'cloudflared') return parseCloudflared(text);
    return parseCompose(text);
  }

  private parseNginxText(text: string) {
    const extra = this.settings.nginx.extraDirectives;
    return parseNginx(text, { isDirectiveName: (name) => isKnownNginxDirective(name, extra) });
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
    if (!stat.isFile) return { kind: 'not-a-file', path };
    if (stat.size > DEFAULT_TREE_LIMITS.maxIncludedBytes) return { kind: 'too-large', path, size: stat.size };
    const text = this.host.readFile(path);
    return text === undefined ? { kind: 'not-found', path } : this.nginxFile(path, text);
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
    return kept.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : comparePositions(a.range.start, b.range.start)));
  }
}
