import { strict as assert } from 'node:assert';
import type { Finding } from '../../../../server/src/core/findings';
import type { Rule } from '../../../../server/src/core/rule';
import { parseCloudflared } from '../../../../server/src/parsers/cloudflared/parser';
import { applyEdits } from '../../apply-edits';
import { analyze, brief } from '../../engine-harness';

export const FILE = '/t/cloudflared/config.yml';

/** The rule's findings on one config file. */
export function findings(rule: Rule, text: string, settings: unknown = {}): Finding[] {
  return analyze({ [FILE]: text }, settings, { rules: [rule] });
}

/** `brief` of each finding: `rule severity file:line:col-line:col`. */
export function briefs(rule: Rule, text: string): string[] {
  return findings(rule, text).map(brief);
}

/** Lines joined into a config text with a final line break. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/**
 * Applies the fix with the given title to the only finding, checks the result is a config cloudflared's YAML reader
 * loads, and returns it.
 */
export function applyFix(rule: Rule, text: string, title?: string): string {
  const found = findings(rule, text);
  assert.equal(found.length, 1, `one finding expected, got ${found.map(brief).join(', ')}`);
  const fixes = found[0].fixes ?? [];
  const fix = title === undefined ? fixes[0] : fixes.find((f) => f.title === title);
  assert.ok(fix, `no fix ${title ?? ''} among ${fixes.map((f) => f.title).join(' | ')}`);
  const result = applyEdits(text, fix.edits);
  assert.deepEqual(parseCloudflared(result).errors, [], `the fixed text is valid YAML:\n${result}`);
  return result;
}

/** Applies a fix and checks that the rule is then silent. */
export function assertFixedBy(rule: Rule, text: string, expected: string, title?: string): void {
  const result = applyFix(rule, text, title);
  assert.equal(result, expected);
  assert.deepEqual(findings(rule, result).map(brief), [], `the rule is silent after the fix:\n${result}`);
}
