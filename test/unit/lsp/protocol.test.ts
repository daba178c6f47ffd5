import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import {
  CodeActionRequest, ConfigurationRequest, DefinitionRequest, DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest,
  InitializedNotification, InitializeRequest, RegistrationRequest,
} from 'vscode-languageserver-protocol/node';
import { PublishedDiagnostics } from './published-diagnostics';
import { startServer } from './server-session';

const session = startServer('origin-doctor-lsp-');
const { connection, write } = session;
const SITE_TEXT = 'server {\n    listen 80;\n    server_nme shop.example;\n}\n';

const mainUri = write('nginx/nginx.conf', 'events {}\nhttp {\n    include sites-enabled/*.conf;\n}\n');
const siteUri = write('nginx/sites-enabled/shop.conf', SITE_TEXT);
const API_TEXT = 'upstream api {\n    server 127.0.0.1:3000;\n}\nserver {\n    listen 81;\n    location / { proxy_pass http://api; }\n}\n';
const apiUri = write('nginx/sites-enabled/api.conf', API_TEXT);

let settings: Record<string, unknown> = {};
const published = new PublishedDiagnostics(connection);

before(async () => {
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: session.rootUri,
    workspaceFolders: [{ uri: session.rootUri, name: 'origin' }],
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
  });
  connection.sendNotification(InitializedNotification.type, {});
});

after(() => session.close());

test('files found by the workspace scan get diagnostics without being opened', async () => {
  const diagnostics = await published.matching(siteUri, (d) => d.length > 0);
  assert.equal(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.deepEqual(d.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 14 } });
  assert.equal(d.severity, 1);
  assert.equal(d.code, 'nginx/unknown-directive');
  assert.equal(d.source, 'origin-doctor');
  assert.match(d.codeDescription!.href, /docs\/rules\/nginx\/unknown-directive\.md$/);
  assert.deepEqual(await published.matching(mainUri, () => true), []);
});

test('the origin map request answers with the chain and file URIs', async () => {
  const roots = await connection.sendRequest('originDoctor/originMap');
  assert.deepEqual(roots, [
    {
      kind: 'server', label: 'server (no server_name) [listen 81]', at: { uri: apiUri, line: 3 },
      children: [{
        kind: 'location', label: 'location /', at: { uri: apiUri, line: 5 },
        children: [{
          kind: 'upstream', label: 'proxy_pass → upstream api', at: { uri: apiUri, line: 0 },
          children: [{ kind: 'backend', label: '127.0.0.1:3000', at: { uri: apiUri, line: 1 }, children: [] }],
        }],
      }],
    },
    { kind: 'server', label: 'server (no server_name) [listen 80]', at: { uri: siteUri, line: 0 }, children: [] },
  ]);
});

test('go to definition from proxy_pass to its upstream; the hover says where it leads', async () => {
  const position = { line: 5, character: 35 };
  const definitions = await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: apiUri }, position });
  assert.deepEqual(definitions, [{ uri: apiUri, range: { start: { line: 0, character: 9 }, end: { line: 0, character: 12 } } }]);
  connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: apiUri, languageId: 'nginx', version: 1, text: API_TEXT } });
  const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: apiUri }, position });
  assert.match((hover?.contents as { value: string }).value, /^→ upstream api \(1 server\)/);
});

test('the probe targets request lists the URLs the configs name', async () => {
  const targets = await connection.sendRequest('originDoctor/probeTargets');
  assert.deepEqual(targets, [{ label: '127.0.0.1:3000', url: 'http://127.0.0.1:3000/', detail: 'server of upstream api, proxy_pass (sites-enabled/api.conf:6)' }]);
});

test('hover shows nginx\'s own documentation of the directive', async () => {
  connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: siteUri, languageId: 'nginx', version: 1, text: SITE_TEXT } });
  const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: siteUri }, position: { line: 1, character: 6 } });
  const value = (hover?.contents as { value: string }).value;
  assert.match(value, /^\*\*listen\*\* — ngx_http_core_module/);
  assert.match(value, /Context: `server`/);
});

test('code actions: the rename fix (preferred) and the disable-line fix, with exact edits', async () => {
  const [diagnostic] = await published.matching(siteUri, (d) => d.length === 1);
  const actions = await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: siteUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] },
  });
  assert.deepEqual(actions?.map((a) => 'title' in a && 'edit' in a ? [a.title, a.isPreferred ?? false, a.edit?.changes] : a), [
    ['Change to "server_name"', true, { [siteUri]: [{ range: diagnostic.range, newText: 'server_name' }] }],
    ['Disable nginx/unknown-directive for this line', false, {
      [siteUri]: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '    # origin-doctor-disable-next-line nginx/unknown-directive\n' }],
    }],
  ]);
});

test('an edit re-publishes: fixing the typo clears the diagnostic', async () => {
  const since = published.count;
  connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: siteUri, version: 2 },
    contentChanges: [{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 14 } }, text: 'server_name' }],
  });
  assert.deepEqual(await published.matching(siteUri, (d) => d.length === 0, since), []);
});

test('settings: a severity override changes the published severity, off removes it', async () => {
  let since = published.count;
  connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: siteUri, version: 3 },
    contentChanges: [{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 15 } }, text: 'server_nme' }],
  });
  await published.matching(siteUri, (d) => d.length === 1 && d[0].severity === 1, since);
  since = published.count;
  settings = { rules: { 'nginx/unknown-directive': 'hint' } };
  connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
  await published.matching(siteUri, (d) => d.length === 1 && d[0].severity === 4, since);
  since = published.count;
  settings = { rules: { 'nginx/unknown-directive': 'off' } };
  connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
  assert.deepEqual(await published.matching(siteUri, (d) => d.length === 0, since), []);
});
