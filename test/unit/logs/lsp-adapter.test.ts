import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { CodeActionKind, DiagnosticSeverity } from 'vscode-languageserver/node';
import { range } from '../../../server/src/core/text';
import { OPEN_LOCATION_COMMAND } from '../../../server/src/logs/explain-protocol';
import { explainLogRequest, relativeToRoots } from '../../../server/src/logs/explain-request';
import { LogDocuments } from '../../../server/src/logs/log-documents';
import { analyzeLogText } from '../../../server/src/logs/log-reader';
import { logCodeActions, logFindings, toLogDiagnostic } from '../../../server/src/logs/lsp-adapter';
import { FIXTURES, originAnalysis, readFixtureLog } from './fixture-workspace';

const LOG = '/srv/origin/log/login.error.log';
const NGINX_CONF = 'file:///srv/origin/nginx/nginx.conf';

function read(fixture: string) {
  return analyzeLogText(readFixtureLog(fixture)).groups;
}

test('a log document: one diagnostic per cause on its first line, the config lines as related information', () => {
  const [finding] = logFindings(LOG, read('login.error.log'), originAnalysis());
  const diagnostic = toLogDiagnostic(finding);
  assert.equal(diagnostic.code, 'upstream-too-big-header');
  assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
  assert.deepEqual(diagnostic.range, range(0, 0, 0, readFixtureLog('login.error.log').split('\n')[0].length));
  const message = diagnostic.message as string;
  assert.match(message, /^The backend's response headers do not fit nginx's buffer: 3× \(visitors got 502\), at 2026-11-25 13:54:43\./);
  assert.match(message, /\nupstream http:\/\/127\.0\.0\.1:9002\/login, server login\.test, request "GET \/login HTTP\/1\.1"$/);
  const related = diagnostic.relatedInformation ?? [];
  assert.deepEqual(related.map((r) => `${r.location.uri}:${r.location.range.start.line + 1}`), [
    `${NGINX_CONF}:75`, `${NGINX_CONF}:80`, `${NGINX_CONF}:75`, `file://${LOG}:3`,
  ]);
  assert.equal(related[0].message, 'proxy_buffer_size 4k: in force for location / of server login.test');
  assert.equal(related[1].message, 'proxy_pass http://127.0.0.1:9002: location / of server login.test passes the request here');
  assert.match(related[2].message, /^\[nginx\/upstream-buffer-too-small\] "proxy_buffer_size 4k" is smaller than/);
  assert.equal(related[3].message, 'last seen here, 2026-11-25 13:54:43');
  assert.deepEqual(diagnostic.data, { status: '502', count: 3, first: '2026-11-25T13:54:43', last: '2026-11-25T13:54:43', upstream: 'http://127.0.0.1:9002/login', server: 'login.test', request: 'GET /login HTTP/1.1', pool: undefined });
});

test('code actions on the log line: go to each responsible config line, then the config rule\'s own quick fix', () => {
  const findings = logFindings(LOG, read('login.error.log'), originAnalysis());
  const diagnostic = toLogDiagnostic(findings[0]);
  const actions = logCodeActions(findings, range(0, 5, 0, 5), [diagnostic]);
  assert.deepEqual(actions.map((a) => a.title), [
    'Go to proxy_buffer_size 4k (nginx.conf:75)',
    'Go to proxy_pass http://127.0.0.1:9002 (nginx.conf:80)',
    'Set proxy_buffer_size 32k, proxy_buffers 16 16k',
  ]);
  assert.deepEqual(actions[0].command, { title: actions[0].title, command: OPEN_LOCATION_COMMAND, arguments: [NGINX_CONF, findings[0].jumps[0].range] });
  assert.equal(actions[2].kind, CodeActionKind.QuickFix);
  assert.deepEqual(Object.keys(actions[2].edit?.changes ?? {}), [NGINX_CONF]);
  assert.deepEqual(actions[2].diagnostics, [diagnostic]);
  // Away from the cause's line and without its diagnostic: nothing.
  assert.deepEqual(logCodeActions(findings, range(2, 0, 2, 0), []), []);
});

test('a truncated 200 is a warning; a log without a workspace still explains itself', () => {
  const [finding] = logFindings('/srv/origin/log/feed.error.log', read('feed.error.log'));
  assert.equal(toLogDiagnostic(finding).severity, DiagnosticSeverity.Warning);
  assert.deepEqual(finding.jumps, []);
  assert.equal(toLogDiagnostic(finding).relatedInformation?.length, 1, 'only the last occurrence');
  assert.deepEqual(logFindings('/srv/origin/log/empty.log', analyzeLogText('nothing here\n').groups), []);
});

test('open log documents are explained again only when the log or the analysis changes', () => {
  const documents = new LogDocuments();
  const analysis = originAnalysis();
  documents.set(LOG, readFixtureLog('orders.error.log'));
  const first = documents.diagnostics(LOG, analysis);
  assert.deepEqual(first.map((d) => d.code), ['no-live-upstreams', 'upstream-refused']);
  const [actionsBefore] = [documents.codeActions(LOG, analysis, range(2, 0, 2, 0), [])];
  assert.ok(actionsBefore.length > 0);
  documents.set(LOG, readFixtureLog('orders.error.log'));
  assert.deepEqual(documents.diagnostics(LOG, analysis), first);
  documents.set(LOG, readFixtureLog('refused.error.log'));
  assert.deepEqual(documents.diagnostics(LOG, analysis).map((d) => d.code), ['upstream-refused']);
  documents.delete(LOG);
  assert.equal(documents.has(LOG), false);
  assert.deepEqual(documents.diagnostics(LOG, analysis), []);
});

test('originDoctor/explainLog: a file streamed with progress, links to config lines, cancellable', async () => {
  const file = join(FIXTURES, 'php8.2-fpm.log');
  const progress: Array<[number, number | undefined]> = [];
  const result = await explainLogRequest({ uri: pathToFileURL(file).toString() }, originAnalysis(), { onProgress: (read, total) => progress.push([read, total]) }, relativeToRoots(['/srv/origin']));
  assert.deepEqual(result.causes.map((c) => c.id), ['fpm-execution-timeout', 'fpm-max-children-reached', 'fpm-worker-killed']);
  assert.deepEqual(result.causes[0].config[0], { file: 'file:///srv/origin/php/fpm/pool.d/exports.conf', line: 9, text: 'request_terminate_timeout = 1s', role: '[exports]: the pool the request went to' });
  const size = readFixtureLog('php8.2-fpm.log').length;
  assert.deepEqual(progress, [[size, size]]);
  assert.match(result.markdown, /\| `fpm-max-children-reached` \| 502 \| 1 \| 2026-11-25 13:54:44 \| 2026-11-25 13:54:44 \| \[php\/fpm\/pool\.d\/busy\.conf:9\]\(file:\/\/\/srv\/origin\/php\/fpm\/pool\.d\/busy\.conf#L9\) \|/);

  const clipboard = await explainLogRequest({ text: readFixtureLog('dynamic.error.log'), label: 'Clipboard' }, originAnalysis());
  assert.match(clipboard.markdown, /^# Origin Doctor: Clipboard\n\n2 lines read, 2 explained by 1 cause\./);

  const controller = new AbortController();
  controller.abort();
  await assert.rejects(explainLogRequest({ uri: pathToFileURL(file).toString() }, originAnalysis(), { signal: controller.signal }), { name: 'AbortError' });
});
