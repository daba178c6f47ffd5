// Writes docs/rules/<id>.md and the README's rule table from the rules themselves (after `tsc -p .`);
// a unit test keeps them in sync.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { ALL_RULES } = require(join(root, 'out/server/src/rules/index.js'));
const { ruleDocsPage, withRuleTable } = require(join(root, 'out/server/src/rules/docs-page.js'));

for (const rule of ALL_RULES) {
  const path = join(root, 'docs', 'rules', `${rule.id}.md`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, ruleDocsPage(rule));
}
const readme = join(root, 'README.md');
writeFileSync(readme, withRuleTable(readFileSync(readme, 'utf8'), ALL_RULES));
console.log(`wrote ${ALL_RULES.length} rule pages and the README's rule table`);
