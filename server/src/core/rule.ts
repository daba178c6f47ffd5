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
  /**
   * What a check reads. `tree` (the default for nginx rules): one nginx configuration at a time, with the
   * workspace's PHP-FPM, cloudflared and compose files; its findings are kept until that configuration or one of
   * those files changes, so typing in one config re-checks only it. `workspace` (the default for the others):
   * every configuration at once, run on each change.
   */
  scope?: 'tree' | 'workspace';
}

export function scopeOf(rule: Rule): 'tree' | 'workspace' {
  return rule.scope ?? (rule.format === 'nginx' ? 'tree' : 'workspace');
}
