import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { lineOf, NGINX_CONF, POOL, SHOP_CONF, TUNNEL, waitForExampleFindings } from './examples';
import { fileUri, hoverText, openFile } from './helpers';

/** The hover text at the first line holding `text`, `column` characters into that line (0-based). */
async function hoverAt(file: string, text: string, column: number): Promise<string> {
  await openFile(file);
  return hoverText(fileUri(file), new vscode.Position(lineOf(file, text) - 1, column));
}

suite('Hover', () => {
  suiteSetup(() => waitForExampleFindings());

  test('on the flagged proxy_pass: the directive\'s documentation, with the contexts it is allowed in', async () => {
    const text = await hoverAt(SHOP_CONF, 'proxy_pass http://api_backend;', 6);
    assert.match(text, /\*\*proxy_pass\*\*/);
    assert.match(text, /Context: `location`/);
  });

  test('on a PHP-FPM pool setting: what it does and how it leads to a 502', async () => {
    const text = await hoverAt(POOL, 'pm.max_children', 3);
    assert.match(text, /\*\*pm\.max_children\*\*/);
    assert.match(text, /502/);
  });

  test('on a cloudflared ingress service: the key\'s meaning and its 502 role', async () => {
    const text = await hoverAt(TUNNEL, 'service: http://127.0.0.1:80', 6);
    assert.match(text, /\*\*service\*\*/);
    assert.match(text, /502 role/);
  });

  test('on a comment: no hover from Origin Doctor', async () => {
    const text = await hoverText(fileUri(NGINX_CONF), new vscode.Position(0, 3));
    assert.doesNotMatch(text, /ngx_|502 role/);
  });
});
