import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { EXAMPLE_MISTAKES, expectedFindings, findingOf, lineOf, mistake, NGINX_CONF, SHOP_CONF, waitForExampleFindings } from './examples';
import { diagnosticOf, openFile, ours, REPO_ROOT, relativeOf, restoreText, ruleOf, SOURCE, waitFor, waitForFindings, workspaceRoot } from './helpers';

interface CliFinding {
  file: string;
  rule: string;
  severity: string;
  line: number;
  column: number;
  message: string;
}

suite('Diagnostics', () => {
  suiteSetup(() => waitForExampleFindings());

  test('every mistake of the example origin is flagged at its line, in files never opened too', async () => {
    for (const example of EXAMPLE_MISTAKES) await waitForFindings(example.file, [findingOf(example)]);
  });

  test('each marker is an error from origin-doctor with its rule id and a link to the rule page', () => {
    const diagnostic = diagnosticOf(NGINX_CONF, 'nginx/unknown-directive')!;
    assert.equal(diagnostic.source, SOURCE);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /unknown directive "client_max_body_szie".*Did you mean "client_max_body_size"\?/);
    const line = lineOf(NGINX_CONF, 'client_max_body_szie') - 1;
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character], [line, 4, line, 24]);
    const code = diagnostic.code;
    assert.ok(typeof code === 'object' && code !== null && 'target' in code, 'the rule id comes with a link');
    assert.equal(String(code.value), 'nginx/unknown-directive');
    assert.match(code.target.toString(), /docs\/rules\/nginx\/unknown-directive\.md$/);
  });

  test('a finding in an included file points back to the include', () => {
    const diagnostic = diagnosticOf(SHOP_CONF, 'nginx/directive-not-allowed-here')!;
    const related = diagnostic.relatedInformation ?? [];
    assert.equal(related.length, 1, JSON.stringify(related));
    assert.equal(relativeOf(related[0].location.uri), NGINX_CONF);
    assert.equal(related[0].location.range.start.line, lineOf(NGINX_CONF, 'include sites-enabled/*.conf;') - 1);
    assert.match(related[0].message, /included here/);
  });

  test('the editor shows exactly what the CLI finds in the same folder', async () => {
    const cli = join(REPO_ROOT, 'dist', 'cli.js');
    assert.ok(existsSync(cli), `${cli} is missing: build first (node scripts/build.mjs)`);
    // ELECTRON_RUN_AS_NODE: under @vscode/test-electron the extension host's executable is VS Code itself.
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', '--format', 'json', workspaceRoot().fsPath], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } })
      .catch((error: { stdout?: string; code?: number }) => {
        if (error.code === 1 && error.stdout) return { stdout: error.stdout }; // exit 1: error findings, as expected
        throw error;
      });
    const fromCli = (JSON.parse(stdout) as { diagnostics: CliFinding[] }).diagnostics
      .map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} [${f.rule}] ${f.message}`).sort();
    const severities = ['error', 'warning', 'information', 'hint'];
    const inEditor = () => {
      const seen: string[] = [];
      for (const [uri] of vscode.languages.getDiagnostics()) {
        if (!uri.fsPath.startsWith(`${workspaceRoot().fsPath}/`)) continue;
        for (const d of ours(uri)) seen.push(`${relativeOf(uri)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${severities[d.severity]} [${ruleOf(d)}] ${d.message}`);
      }
      return seen.sort();
    };
    // Waits for the server to have published them all; a difference that stays fails with both lists.
    await waitFor('the editor to show the CLI findings', () => JSON.stringify(inEditor()) === JSON.stringify(fromCli), 10_000)
      .catch(() => assert.deepEqual(inEditor(), fromCli));
  });

  test('a mistake typed into an open file is flagged while typing, and the marker goes when it is undone', async () => {
    const document = await openFile(SHOP_CONF);
    const original = document.getText();
    const below = lineOf(SHOP_CONF, 'index index.php;');
    const moved = findingOf(mistake(SHOP_CONF, 'nginx/directive-not-allowed-here')).replace(/@(\d+)$/, (_, n: string) => `@${Number(n) + 1}`);
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(below, 0), '    proxy_read_timout 300s;\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForFindings(SHOP_CONF, [`nginx/unknown-directive@${below + 1}`, moved]);
      assert.match(diagnosticOf(SHOP_CONF, 'nginx/unknown-directive')!.message, /Did you mean "proxy_read_timeout"\?/);
    } finally {
      await restoreText(document, original);
    }
    await waitForFindings(SHOP_CONF, expectedFindings(SHOP_CONF), ['nginx/unknown-directive']);
  });

  test('an untitled nginx document is checked too', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'nginx', content: 'events {}\nhttp {\n    server {\n        listen 80\n        root /srv;\n    }\n}\n' });
    await vscode.window.showTextDocument(document);
    try {
      const diagnostic = await waitFor('a marker in the untitled document', () => ours(document.uri).find((d) => ruleOf(d) === 'nginx/syntax'));
      assert.equal(diagnostic.range.start.line, 3);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
