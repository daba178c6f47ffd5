import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { lineOf, NGINX_CONF, POOL, SHOP_CONF, waitForExampleFindings } from './examples';
import { codeActionsAt, diagnosticOf, findingsOf, openFile, restoreText, waitForFindings } from './helpers';

interface FixCase {
  file: string;
  rule: string;
  title: string;
  /** Text on the flagged line before the fix, and what that line holds after it. */
  on: string;
  fixed: string;
}

const CASES: FixCase[] = [
  { file: NGINX_CONF, rule: 'nginx/unknown-directive', title: 'Change to "client_max_body_size"', on: 'client_max_body_szie', fixed: '    client_max_body_size 20m;' },
  { file: SHOP_CONF, rule: 'nginx/syntax', title: 'Insert ";"', on: 'listen 80', fixed: '    listen 80;' },
  { file: POOL, rule: 'php-fpm/hash-comment', title: "Start the comment with ';'", on: '# MISTAKE', fixed: '; MISTAKE: `#` is not a comment' },
  { file: POOL, rule: 'php-fpm/unknown-directive', title: "Change to 'pm.max_requests'", on: 'pm.max_request =', fixed: 'pm.max_requests = 500' },
];

suite('Quick fixes', () => {
  const originals = new Map<vscode.TextDocument, string>();

  suiteSetup(() => waitForExampleFindings());

  // The other suites expect the examples as they are: put every file back (and on disk) afterwards.
  suiteTeardown(async () => {
    for (const [document, text] of originals) await restoreText(document, text);
    await waitForExampleFindings();
  });

  for (const fix of CASES) {
    test(`${fix.rule}: "${fix.title}" changes its line, and the marker goes away`, async () => {
      const document = await openFile(fix.file);
      if (!originals.has(document)) originals.set(document, document.getText());
      const line = lineOf(fix.file, fix.on);
      const diagnostic = diagnosticOf(fix.file, fix.rule);
      assert.ok(diagnostic, `no ${fix.rule} marker in ${fix.file}`);
      assert.equal(diagnostic.range.start.line, line - 1);

      const actions = await codeActionsAt(document.uri, diagnostic.range);
      const action = actions.find((a) => a.title === fix.title);
      assert.ok(action, `no "${fix.title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.ok(action.edit, 'the fix carries its edit');

      const others = findingsOf(fix.file).filter((f) => !f.startsWith(`${fix.rule}@`));
      assert.ok(await vscode.workspace.applyEdit(action.edit));
      assert.ok(document.lineAt(line - 1).text.startsWith(fix.fixed), `line ${line} is now ${JSON.stringify(document.lineAt(line - 1).text)}`);
      // Its own marker goes; the file's other findings stay where they were (the fixes add or remove no line).
      const after = await waitForFindings(fix.file, others, [fix.rule]);
      assert.deepEqual(after, others);
      assert.ok(await document.save());
    });
  }

  test('a finding can also be silenced for its line', async () => {
    const document = await openFile(NGINX_CONF);
    if (!originals.has(document)) originals.set(document, document.getText());
    const diagnostic = diagnosticOf(NGINX_CONF, 'nginx/include-not-found');
    assert.ok(diagnostic);
    const actions = await codeActionsAt(document.uri, diagnostic.range);
    const silence = actions.find((a) => a.title === 'Disable nginx/include-not-found for this line');
    assert.ok(silence, `no way to silence it among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(silence.edit!));
    await waitForFindings(NGINX_CONF, [], ['nginx/include-not-found']);
  });
});
