import assert from 'node:assert/strict';
import type { Finding, Fix } from '../../../server/src/core/findings';
import type { Rule } from '../../../server/src/core/rule';
import { applyEdits } from '../apply-edits';
import { analyze } from '../engine-harness';

export type Files = Record<string, string>;

/** The rule's findings on a workspace of php-fpm files. */
export function lint(rule: Rule, files: Files, settings: unknown = {}): Finding[] {
  const kinds = Object.fromEntries(Object.keys(files).map((path) => [path, 'php-fpm' as const]));
  return analyze(files, settings, { rules: [rule], kinds });
}

/** The files once the fix is applied. */
export function applyFix(files: Files, fix: Fix): Files {
  const fixed = { ...files };
  for (const path of new Set(fix.edits.map((e) => e.file))) {
    fixed[path] = applyEdits(fixed[path], fix.edits.filter((e) => e.file === path));
  }
  return fixed;
}

/** Applies the finding's preferred fix, checks the rule is then silent, and returns the fixed files. */
export function assertFixedByPreferredFix(rule: Rule, files: Files, finding: Finding, settings: unknown = {}): Files {
  const fix = finding.fixes?.find((f) => f.isPreferred);
  assert.ok(fix, `no preferred fix for: ${finding.message}`);
  const fixed = applyFix(files, fix);
  assert.deepEqual(lint(rule, fixed, settings).map((f) => f.message), [], 'the rule still reports after its fix');
  return fixed;
}
