import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { NGINX_CONF, POOL, SHOP_CONF, TUNNEL } from './examples';
import { EXTENSION_ID, openFile, waitFor, workspaceRoot } from './helpers';

suite('Activation', () => {
  test('the extension activates by itself on the example workspace (workspaceContains nginx.conf)', async () => {
    workspaceRoot();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in this window`);
    await waitFor(`${EXTENSION_ID} to be active`, () => extension.isActive);
  });

  test('its commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['originDoctor.restartServer', 'originDoctor.showOriginMap', 'originDoctor.probeOrigin']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
  });

  test('config files open in the languages it contributes', async () => {
    const expected: Record<string, string> = { [NGINX_CONF]: 'nginx', [SHOP_CONF]: 'nginx', [POOL]: 'php-fpm', [TUNNEL]: 'yaml' };
    for (const [file, language] of Object.entries(expected)) {
      const document = await openFile(file);
      assert.equal(document.languageId, language, `${file} opened as ${document.languageId}`);
    }
  });
});
