import type { FileId, Fix, Related, Severity } from './findings';
import type { Range } from './text';
import type { WorkspaceModel } from '../model/workspace';
import type { Settings } from './settings';

export type Format = 'nginx' | 'php-fpm' | 'cloudflared';

export interface Report {
  file: FileId;
  range: Range;
  message: string;
  /** Overrides the rule's default, e.g. a hint where nginx's own default is assumed. Settings still win. */
  severity?: Severity;
  related?: Related[];
  fixes?: Fix[];
}

export interface RuleContext {
  model: WorkspaceModel;
  settings: Settings;
  report(finding: Report): void;
}

/**
 * One rule: its id, its default severity, its documentation and its check, side by side.
 * `docs` is Markdown: what the rule finds, what happens at runtime, what to change.
 */
export interface Rule {
  id: string;
  format: Format;
  defaultSeverity: Severity;
  title: string;
  docs: string;
  check(ctx: RuleContext): void;
}
