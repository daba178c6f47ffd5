import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULES } from '../../../server/src/rules';
import { ruleDocsPage, withRuleTable } from '../../../server/src/rules/docs-page';

const DOCS = join(__dirname, '..', '..', '..', '..', 'docs', 'rules');

test('every rule has a unique id of the form <format>/<name>', () => {
  const ids = ALL_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of ALL_RULES) assert.match(rule.id, new RegExp(`^${rule.format}/[a-z0-9-]+$`));
});

test('docs/rules pages match the rules (regenerate with `npm run docs`)', () => {
  for (const rule of ALL_RULES) {
    assert.equal(readFileSync(join(DOCS, `${rule.id}.md`), 'utf8'), ruleDocsPage(rule), rule.id);
  }
});

test('the README lists every rule (regenerate with `npm run docs`)', () => {
  const readme = readFileSync(join(DOCS, '..', '..', 'README.md'), 'utf8');
  assert.equal(readme, withRuleTable(readme, ALL_RULES));
});
