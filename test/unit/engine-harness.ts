import type { Finding } from '../../server/src/core/findings';
import type { Rule } from '../../server/src/core/rule';
import { resolveSettings } from '../../server/src/core/settings';
import { Engine } from '../../server/src/engine/engine';
import { classifyFile, type FileKind } from '../../server/src/model/classify';
import { OverlayFileSystem } from '../../server/src/model/host';

export interface Workspace {
  engine: Engine;
  host: OverlayFileSystem;
}

/** An engine over in-memory files (absolute `/`-paths), each classified as the editor would. */
export interface WorkspaceOptions {
  /** Kinds for files whose name and content would not say. */
  kinds?: Record<string, FileKind>;
  /** Run only these rules (default: all). */
  rules?: readonly Rule[];
}

export function workspace(files: Record<string, string>, settings: unknown = {}, options: WorkspaceOptions = {}): Workspace {
  const host = new OverlayFileSystem();
  // A rule that throws is logged by the engine; in tests that must fail loudly, not pass silently.
  const engine = new Engine(host, resolveSettings(settings), (message) => { throw new Error(message); }, options.rules);
  const kinds = options.kinds ?? {};
  for (const [path, text] of Object.entries(files)) {
    host.set(path, text);
    const kind = kinds[path] ?? classifyFile(path, text);
    if (kind) engine.setFile(path, text, kind);
  }
  return { engine, host };
}

export function analyze(files: Record<string, string>, settings: unknown = {}, options: WorkspaceOptions = {}): Finding[] {
  return workspace(files, settings, options).engine.analyze().findings;
}

/** A compact, exact view of a finding: `rule severity file:line:col-line:col message`. */
export function brief(finding: Finding): string {
  const { start, end } = finding.range;
  return `${finding.rule} ${finding.severity} ${finding.file}:${start.line}:${start.character}-${end.line}:${end.character}`;
}

export function only(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}
