/**
 * Completion, formatting, links, outline, workspace symbols and folding through the built server
 * (dist/server.js over stdio), as an editor asks for them.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import {
  CompletionRequest, CompletionResolveRequest, ConfigurationRequest, DidOpenTextDocumentNotification,
  DocumentFormattingRequest, DocumentLinkRequest, DocumentRangeFormattingRequest, DocumentSymbolRequest,
  FoldingRangeRequest, InitializedNotification, InitializeRequest, RegistrationRequest,
  WorkspaceSymbolRequest, type CompletionItem, type DocumentSymbol,
  type InitializeResult, type Registration, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../apply-edits';
import { PublishedDiagnostics } from './published-diagnostics';
import { startServer } from './server-session';

const session = startServer('origin-doctor-comforts-');
const { connection, write } = session;

const MAIN_TEXT = 'events {}\nhttp {\n    upstream app { server 127.0.0.1:3000; }\n    include sites/*.conf;\n}\n';
const SITE_TEXT = 'server {\n  listen 80;\n  server_name shop.example;\n  ssl_certificate certs/shop.pem;\n  location / {\n  proxy_pass http://\n  }\n}\n';
const POOL_TEXT = '[www]\nlisten=/run/php/www.sock\n\n';
const TUNNEL_TEXT = 'tunnel: t\ningress:\n  - hostname: shop.example\n    service: http://127.0.0.1:80\n  - service: http_status:404\n';

const mainUri = write('nginx/nginx.conf', MAIN_TEXT);
const siteUri = write('nginx/sites/shop.conf', SITE_TEXT);
const certUri = write('nginx/certs/shop.pem', 'certificate');
const poolUri = write('php/pool.d/www.conf', POOL_TEXT);
const tunnelUri = write('cloudflared/config.yml', TUNNEL_TEXT);

let initialized: InitializeResult;
const registrations: Registration[] = [];

before(async () => {
  const published = new PublishedDiagnostics(connection);
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({ server: { memoryMB: 2048 }, format: { alignMapValues: true } })));
  connection.onRequest(RegistrationRequest.type, (params) => { registrations.push(...params.registrations); });
  connection.listen();
  initialized = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: session.rootUri,
    workspaceFolders: [{ uri: session.rootUri, name: 'origin' }],
    capabilities: {
      workspace: { configuration: true },
      textDocument: { formatting: { dynamicRegistration: true }, rangeFormatting: { dynamicRegistration: true } },
    },
  });
  connection.sendNotification(InitializedNotification.type, {});
  await published.after(0, mainUri, 10_000);
  for (const [uri, languageId, text] of [[mainUri, 'nginx', MAIN_TEXT], [siteUri, 'nginx', SITE_TEXT], [poolUri, 'php-fpm', POOL_TEXT], [tunnelUri, 'yaml', TUNNEL_TEXT]]) {
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }
});

after(() => session.close());

test('capabilities: completion with resolve, links, symbols, folding; formatting registered for nginx and PHP-FPM only', () => {
  const capabilities = initialized.capabilities;
  assert.deepEqual(capabilities.completionProvider, { triggerCharacters: ['$', '/', ':'], resolveProvider: true });
  assert.deepEqual(capabilities.documentLinkProvider, { resolveProvider: false });
  assert.equal(capabilities.documentSymbolProvider, true);
  assert.equal(capabilities.workspaceSymbolProvider, true);
  assert.equal(capabilities.foldingRangeProvider, true);
  assert.equal(capabilities.documentFormattingProvider, undefined, 'not declared for YAML documents too');
  const selector = [{ language: 'nginx' }, { language: 'php-fpm' }];
  assert.deepEqual(registrations.filter((r) => r.method.includes('ormatting')).map((r) => [r.method, r.registerOptions]), [
    ['textDocument/formatting', { documentSelector: selector }],
    ['textDocument/rangeFormatting', { documentSelector: selector }],
  ]);
});

test('completion: upstreams after proxy_pass http://, directives with documentation on resolve', async () => {
  const upstreams = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: siteUri }, position: { line: 5, character: 20 } });
  assert.deepEqual((upstreams as CompletionItem[]).map((i) => [i.label, i.textEdit]), [
    ['http://app', { range: { start: { line: 5, character: 13 }, end: { line: 5, character: 20 } }, newText: 'http://app' }],
  ]);
  const directives = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: siteUri }, position: { line: 1, character: 2 } })) as CompletionItem[];
  const listen = directives.find((i) => i.label === 'listen')!;
  assert.equal(listen.documentation, undefined);
  const resolved = await connection.sendRequest(CompletionResolveRequest.type, listen);
  assert.match((resolved.documentation as { value: string }).value, /^\*\*listen\*\* — ngx_http_core_module/);
});

test('completion: the pool snippet sized from the editor\'s settings; cloudflared keys', async () => {
  const items = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: poolUri }, position: { line: 2, character: 0 } })) as CompletionItem[];
  const pool = items.find((i) => i.label === 'pool')!;
  assert.equal(pool.insertTextFormat, 2);
  assert.match(pool.textEdit!.newText, /\npm\.max_children = 16\n/, 'floor((2048 − 1024) / 64)');
  const keys = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: tunnelUri }, position: { line: 2, character: 4 } })) as CompletionItem[];
  assert.deepEqual(keys.map((i) => i.label), ['hostname', 'path', 'service', 'originRequest', 'ingress rule']);
});

test('formatting: exact document edits for nginx and PHP-FPM, range formatting, none for YAML', async () => {
  const options = { tabSize: 4, insertSpaces: true };
  const mainEdits = (await connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: mainUri }, options: { tabSize: 4, insertSpaces: false } })) as TextEdit[];
  assert.equal(applyEdits(MAIN_TEXT, mainEdits.map((e) => ({ file: '', ...e }))),
    'events {}\nhttp {\n\tupstream app {\n\t\tserver 127.0.0.1:3000;\n\t}\n\tinclude sites/*.conf;\n}\n');
  assert.deepEqual(await connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: siteUri }, options }), [],
    'the half-typed proxy_pass is a syntax error: no edits');
  const poolEdits = await connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: poolUri }, options });
  assert.deepEqual(poolEdits, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 24 } }, newText: 'listen = /run/php/www.sock' }]);
  const rangeEdits = await connection.sendRequest(DocumentRangeFormattingRequest.type, {
    textDocument: { uri: mainUri }, options: { tabSize: 2, insertSpaces: true }, range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } },
  });
  const edit = (line: number, from: number, toLine: number, to: number, newText: string) => ({ range: { start: { line, character: from }, end: { line: toLine, character: to } }, newText });
  assert.deepEqual(rangeEdits, [edit(1, 6, 2, 4, '\n  '), edit(2, 18, 2, 19, '\n    '), edit(2, 41, 2, 42, '\n  ')]);
  assert.equal(await connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: tunnelUri }, options }), null);
});

test('document links: include globs to each file, certificates that exist', async () => {
  const mainLinks = await connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: mainUri } });
  assert.deepEqual(mainLinks?.map((l) => [l.range.start, l.target]), [[{ line: 3, character: 12 }, siteUri]]);
  const siteLinks = await connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: siteUri } });
  assert.deepEqual(siteLinks?.map((l) => [l.range, l.target]), [[{ start: { line: 3, character: 18 }, end: { line: 3, character: 32 } }, certUri]]);
});

test('outline, workspace symbols and folding', async () => {
  const symbols = (await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: mainUri } })) as DocumentSymbol[];
  assert.deepEqual(symbols.map((s) => [s.name, s.children?.map((c) => c.name)]), [['events', []], ['http', ['upstream app']]]);
  const tunnel = (await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: tunnelUri } })) as DocumentSymbol[];
  assert.deepEqual(tunnel[1].children?.map((c) => [c.name, c.detail]), [['shop.example', 'http://127.0.0.1:80'], ['catch-all', 'http_status:404']]);
  const found = await connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'shop' });
  assert.deepEqual(found?.map((s) => [s.name, 'location' in s && 'range' in s.location ? [s.location.uri, s.location.range.start.line] : undefined]), [
    ['server shop.example [listen 80]', [siteUri, 0]],
  ]);
  const folds = await connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: mainUri } });
  assert.deepEqual(folds, [{ startLine: 1, endLine: 3 }]);
});
