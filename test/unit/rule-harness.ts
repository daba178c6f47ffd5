import type { Report, Rule } from '../../server/src/core/rule';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/core/settings';
import { LineIndex } from '../../server/src/core/text';
import { buildOrigin } from '../../server/src/model/origin';
import type { ParsedFile, WorkspaceModel } from '../../server/src/model/workspace';

/** Runs one rule's check on a hand-built model and returns what it reported, in order. */
export function runRule(rule: Rule, model: Partial<Omit<WorkspaceModel, 'origin'>>, settings: Settings = DEFAULT_SETTINGS): Report[] {
  const reports: Report[] = [];
  const parts = { nginx: [], fpm: [], cloudflared: [], compose: [], nginxTrees: [], ...model };
  rule.check({
    model: { ...parts, origin: buildOrigin(parts) },
    settings,
    report: (r) => reports.push(r),
  });
  return reports;
}

export function parsedFile<T>(id: string, text: string, parse: (text: string) => T): ParsedFile<T> {
  return { id, text, lines: new LineIndex(text), parse: parse(text) };
}
