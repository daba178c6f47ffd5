import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { expectedFindings, findingOf, mistake, NGINX_CONF, SHOP_CONF, waitForExampleFindings } from './examples';
import { diagnosticOf, findingsOf, setSetting, waitFor, waitForFindings } from './helpers';

function severityOf(file: string, rule: string): vscode.DiagnosticSeverity | undefined {
  return diagnosticOf(file, rule)?.severity;
}

suite('Settings', () => {
  suiteSetup(() => waitForExampleFindings());

  suiteTeardown(async () => {
    await setSetting('rules', undefined);
    await setSetting('nginx.extraDirectives', undefined);
    await waitForExampleFindings();
  });

  test('a rule turned off in originDoctor.rules disappears, and comes back when the setting goes', async () => {
    const shopBefore = findingsOf(SHOP_CONF);
    await setSetting('rules', { 'nginx/include-not-found': 'off' });
    await waitForFindings(NGINX_CONF, [findingOf(mistake(NGINX_CONF, 'nginx/unknown-directive'))], ['nginx/include-not-found']);
    // Only that rule: the other files keep theirs.
    assert.deepEqual(findingsOf(SHOP_CONF), shopBefore);

    await setSetting('rules', undefined);
    await waitForFindings(NGINX_CONF, expectedFindings(NGINX_CONF));
  });

  test('a severity override changes the marker: error to warning to hint, and back', async () => {
    const rule = 'nginx/directive-not-allowed-here';
    assert.equal(severityOf(SHOP_CONF, rule), vscode.DiagnosticSeverity.Error);
    await setSetting('rules', { [rule]: 'warning' });
    await waitFor(`${rule} as a warning`, () => severityOf(SHOP_CONF, rule) === vscode.DiagnosticSeverity.Warning);
    // Only that rule: the syntax error in the same file stays an error.
    assert.equal(severityOf(SHOP_CONF, 'nginx/syntax'), vscode.DiagnosticSeverity.Error);

    await setSetting('rules', { [rule]: 'hint' });
    await waitFor(`${rule} as a hint`, () => severityOf(SHOP_CONF, rule) === vscode.DiagnosticSeverity.Hint);

    await setSetting('rules', undefined);
    await waitFor(`${rule} as an error again`, () => severityOf(SHOP_CONF, rule) === vscode.DiagnosticSeverity.Error);
  });

  test('a third-party directive listed in originDoctor.nginx.extraDirectives is no longer unknown', async () => {
    await setSetting('nginx.extraDirectives', ['client_max_body_szie']);
    await waitForFindings(NGINX_CONF, [findingOf(mistake(NGINX_CONF, 'nginx/include-not-found'))], ['nginx/unknown-directive']);
    await setSetting('nginx.extraDirectives', undefined);
    await waitForFindings(NGINX_CONF, expectedFindings(NGINX_CONF));
  });
});
