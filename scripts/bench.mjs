// npm run bench: how fast the engine is against nginx's own `nginx -t` and the nginx-conf parser, over LSP
// while typing, and how its memory behaves. Inputs are generated here, deterministically; every figure is
// the median of several runs after a warm-up, reported as a ratio against a reference measured in this run.
// Prints a table and writes bench/results.json. Not a test: nothing here passes or fails.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Engine } = require(join(root, 'out/server/src/engine/engine.js'));
const { diskFileSystem } = require(join(root, 'out/server/src/model/host.js'));
const { resolveSettings } = require(join(root, 'out/server/src/core/settings.js'));
const { scanFolder } = require(join(root, 'out/server/src/engine/scan.js'));
const { SERVER_START_FLAGS } = require(join(root, 'out/server/src/lsp/start-flags.js'));
const { parseNginx } = require(join(root, 'out/server/src/parsers/nginx/parser.js'));
const { buildNginxTree } = require(join(root, 'out/server/src/model/nginx-tree.js'));
const { treeOrigin } = require(join(root, 'out/server/src/model/origin.js'));
const { LineIndex } = require(join(root, 'out/server/src/core/text.js'));
const { isKnownNginxDirective } = require(join(root, 'out/server/src/reference/nginx.js'));
const { NginxParser } = require('nginx-conf');
const rpc = require('vscode-languageserver-protocol/node');

// Eleven: the collector lands on some runs and not others, and the median of five moved by a tenth between runs of the bench.
const RUNS = 11;
const work = mkdtempSync(join(tmpdir(), 'origin-doctor-bench-'));
const settings = resolveSettings({ nginx: { version: '1.22.1' } });

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function timed(fn, runs = RUNS) {
  fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

// ---- inputs
function site(i) {
  return [
    `# site ${i}: shop number ${i}`,
    `upstream app${i} {`,
    `    server 127.0.0.1:${3000 + (i % 1000)};`,
    '    keepalive 16;',
    '}',
    'server {',
    `    listen ${8000 + (i % 500)};`,
    `    server_name site${i}.example.com www.site${i}.example.com;`,
    `    root /var/www/site${i}/public;`,
    '    location / {',
    `        proxy_pass http://app${i};`,
    '        proxy_http_version 1.1;',
    '        proxy_set_header Connection "";',
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '    }',
    '    location ~ \\.php$ {',
    '        fastcgi_pass unix:/run/php/php8.2-fpm.sock;',
    '        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;',
    '        fastcgi_buffer_size 32k;',
    '        fastcgi_buffers 16 16k;',
    '    }',
    '}',
  ].join('\n');
}
const MAIN_HEAD = 'worker_processes auto;\nevents {\n    worker_connections 1024;\n}\nhttp {\n    server_names_hash_bucket_size 128;\n    server_names_hash_max_size 65536;\n';
function nginxConfig(sites) {
  const parts = [MAIN_HEAD];
  for (let i = 0; i < sites; i++) parts.push(site(i).replace(/^/gm, '    '));
  parts.push('}\n');
  return parts.join('\n');
}
function writeFile(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const sizes = [{ name: '1.7k lines', sites: 74 }, { name: '17k lines', sites: 740 }, { name: '68k lines', sites: 2960 }];
const nginxInputs = sizes.map(({ name, sites }) => {
  const text = nginxConfig(sites);
  return { name, text, lines: text.split('\n').length, path: writeFile(join(work, name.replace(/\W+/g, '-'), 'nginx.conf'), text) };
});
const siteDir = join(work, 'workspace-2000');
writeFile(join(siteDir, 'nginx.conf'), `${MAIN_HEAD}    include sites-enabled/*.conf;\n}\n`);
for (let i = 0; i < 2000; i++) writeFile(join(siteDir, 'sites-enabled', `site${i}.conf`), site(i));
const poolsDir = join(work, 'pools-500');
for (let i = 0; i < 500; i++) {
  writeFile(join(poolsDir, 'pool.d', `pool${i}.conf`), `[pool${i}]\nuser = www-data\ngroup = www-data\nlisten = /run/php/pool${i}.sock\nlisten.owner = www-data\nlisten.group = www-data\npm = dynamic\npm.max_children = 20\npm.start_servers = 4\npm.min_spare_servers = 2\npm.max_spare_servers = 6\npm.max_requests = 500\n`);
}
const tunnelDir = join(work, 'tunnel-1000');
writeFile(join(tunnelDir, 'cloudflared', 'config.yml'), ['tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef', 'credentials-file: /etc/cloudflared/t.json', 'ingress:',
  ...Array.from({ length: 1000 }, (_, i) => `  - hostname: site${i}.example.com\n    service: http://127.0.0.1:${8000 + (i % 500)}`), '  - service: http_status:404', ''].join('\n'));

// ---- 1 and 2: full analysis in process, against nginx -t
function analyzeFolder(folder) {
  const engine = new Engine(diskFileSystem, settings);
  for (const file of scanFolder(diskFileSystem, folder).files) engine.setFile(file.path, file.text, file.kind);
  return engine.analyze().findings.length;
}
function analyzeText(path, text) {
  const engine = new Engine(diskFileSystem, settings);
  engine.setFile(path, text, 'nginx');
  return engine.analyze();
}
function nginxTest(mainPath) {
  const prefix = mkdtempSync(join(work, 'nginx-prefix-'));
  const result = spawnSync('nginx', ['-t', '-q', '-p', `${prefix}/`, '-c', mainPath, '-g', `pid ${prefix}/n.pid; error_log stderr;`], { encoding: 'utf8' });
  if (result.error) throw new Error(`nginx is not installed (apt-get install nginx-light): ${result.error.message}`);
  return result.status;
}
function nginxConfParse(text) {
  return new NginxParser().parse(text);
}

const rows = [];
const step = (what) => console.error(`bench: ${what}`);
for (const input of nginxInputs) {
  step(`analysis of ${input.name}`);
  const ours = timed(() => analyzeText(input.path, input.text));
  step(`nginx -t of ${input.name}`);
  const nginx = timed(() => nginxTest(input.path));
  const nginxConf = timed(() => nginxConfParse(input.text));
  rows.push({ input: input.name, lines: input.lines, oursMs: ours, nginxTestMs: nginx, nginxConfMs: nginxConf, perLineUs: (ours * 1000) / input.lines });
}
// Where the 68k-line analysis goes, for the record (no target): the parse alone, then with the tree, then with the
// origin (each step the difference of two medians, so a rough split), the rest being the rules; and the collector's
// share of the whole analysis.
async function collectorShare(fn, runs = RUNS) {
  let collecting = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collecting += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const elapsed = performance.now() - start;
  // The collector's entries are delivered after the work that caused them.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return collecting / elapsed;
}
const bigInput = nginxInputs[2];
const bigFile = () => ({
  id: bigInput.path, text: bigInput.text, lines: new LineIndex(bigInput.text), parse: parseNginx(bigInput.text, { isDirectiveName: (name) => isKnownNginxDirective(name) }),
});
const bigTree = () => buildNginxTree({ root: bigFile(), host: diskFileSystem, load: (path) => ({ kind: 'not-found', path }) }, true);
const parseMs = timed(bigFile);
const withTreeMs = timed(bigTree);
const withOriginMs = timed(() => treeOrigin(bigTree()));
const breakdown = {
  parseMs,
  treeMs: withTreeMs - parseMs,
  originMs: withOriginMs - withTreeMs,
  rulesMs: rows[2].oursMs - withOriginMs,
  collectorShare: await collectorShare(() => analyzeText(bigInput.path, bigInput.text)),
};

step("workspaces");
const workspaceMs = timed(() => analyzeFolder(siteDir), 3);
const workspaceNginxMs = timed(() => nginxTest(join(siteDir, 'nginx.conf')), 3);
// Not a target, measured for the record: typing in one of the 2,000 site files a glob includes.
function siteKeystrokes(edits) {
  const engine = new Engine(diskFileSystem, settings);
  const files = scanFolder(diskFileSystem, siteDir).files;
  for (const file of files) engine.setFile(file.path, file.text, file.kind);
  engine.analyze();
  const sites = files.filter((file) => file.path.includes('sites-enabled'));
  const latencies = [];
  let seed = 11;
  for (let i = 0; i < edits; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const file = sites[seed % sites.length];
    const lines = file.text.split('\n');
    const line = seed % lines.length;
    lines[line] = ` ${lines[line]}`;
    file.text = lines.join('\n');
    const start = performance.now();
    engine.setFile(file.path, file.text, file.kind);
    engine.analyze();
    latencies.push(performance.now() - start);
  }
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}
const siteKeystroke = siteKeystrokes(100);
const poolsMs = timed(() => analyzeFolder(poolsDir), 3);
const tunnelMs = timed(() => analyzeFolder(tunnelDir), 3);
const corpus = join(root, '..', 'shared', 'corpus');
const corpusMs = existsSync(corpus) ? timed(() => analyzeFolder(corpus), 3) : undefined;

// ---- 4 and 5: over LSP stdio against the bundled server
async function lspRun() {
  // Started as the extension starts it.
  const server = spawn(process.execPath, [...SERVER_START_FLAGS, join(root, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  const waiting = new Map();
  connection.onNotification(rpc.PublishDiagnosticsNotification.type, ({ uri }) => {
    const resolve = waiting.get(uri);
    if (resolve) {
      waiting.delete(uri);
      resolve(performance.now());
    }
  });
  connection.onRequest(rpc.ConfigurationRequest.type, (p) => p.items.map(() => ({})));
  connection.onRequest(rpc.RegistrationRequest.type, () => undefined);
  connection.listen();
  const published = (uri) => new Promise((resolve) => waiting.set(uri, resolve));
  const rss = () => {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  };
  const coldStart = performance.now();
  await connection.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} });
  connection.sendNotification(rpc.InitializedNotification.type, {});
  const small = nginxConfig(8);
  const smallUri = pathToFileURL(writeFile(join(work, 'lsp', 'small', 'nginx.conf'), small)).toString();
  let done = published(smallUri);
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: smallUri, languageId: 'nginx', version: 1, text: small } });
  const coldMs = (await done) - coldStart;

  const big = nginxInputs[2];
  const bigUri = pathToFileURL(big.path).toString();
  done = published(bigUri);
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: bigUri, languageId: 'nginx', version: 1, text: big.text } });
  await done;
  const rssAfterOpen = rss();

  const mid = nginxInputs[1];
  const midUri = pathToFileURL(mid.path).toString();
  done = published(midUri);
  connection.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: midUri, languageId: 'nginx', version: 1, text: mid.text } });
  await done;
  // 200 single-character edits at deterministic "random" lines: type a space at a line's start.
  let seed = 7;
  const latencies = [];
  // After every edit: one sample lands anywhere in the collector's cycle (up to a fifth apart from the next), so the
  // figures are the highest of the last 20 edits, and the growth compares the means of edits 81-100 and 181-200.
  const rssAfterEdit = [];
  for (let i = 0; i < 200; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const line = seed % (mid.lines - 1);
    done = published(midUri);
    const sent = performance.now();
    connection.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
      textDocument: { uri: midUri, version: i + 2 },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }],
    });
    latencies.push((await done) - sent);
    rssAfterEdit.push(rss());
  }
  const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
  await connection.sendRequest(rpc.ShutdownRequest.type);
  const exited = new Promise((resolve) => server.once('exit', resolve));
  await connection.sendNotification(rpc.ExitNotification.type);
  await exited;
  connection.dispose();
  return {
    coldMs, p50: percentile(latencies, 50), p95: percentile(latencies, 95), rssAfterOpen,
    rssLast20Max: Math.max(...rssAfterEdit.slice(180)), rss81To100Mean: mean(rssAfterEdit.slice(80, 100)), rss181To200Mean: mean(rssAfterEdit.slice(180)),
  };
}
step("LSP");
const lsp = await lspRun();

// ---- report
const big = rows[2];
const results = {
  nginx: rows,
  breakdown68k: breakdown,
  workspace2000: { oursMs: workspaceMs, nginxTestMs: workspaceNginxMs, siteKeystrokeMs: siteKeystroke },
  pools500Ms: poolsMs,
  tunnel1000Ms: tunnelMs,
  corpusMs,
  lsp,
  targets: {
    'analysis 68k / nginx -t (≤ 0.10)': big.oursMs / big.nginxTestMs,
    'analysis 68k / nginx-conf parse (≤ 1.0)': big.oursMs / big.nginxConfMs,
    'keystroke → diagnostics p95 on 17k, ms (≤ 25)': lsp.p95,
    'cold start → first diagnostics, ms (≤ 400)': lsp.coldMs,
    '2,000-file workspace, ms (≤ 1500)': workspaceMs,
    'server RSS after 200 edits (highest of the last 20), MB (≤ 150)': lsp.rssLast20Max,
    'RSS growth edit 100 → 200 (means of 20 edits, ≤ 5 %)': (lsp.rss181To200Mean - lsp.rss81To100Mean) / lsp.rss81To100Mean,
    'time per line 68k / 1.7k (≤ 1.3)': rows[2].perLineUs / rows[0].perLineUs,
  },
};
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const fmt = (n) => (n === undefined ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(2));
console.log('input        lines   ours ms   nginx -t ms   ratio   nginx-conf ms   ratio   µs/line');
for (const r of rows) {
  console.log(`${r.input.padEnd(12)} ${String(r.lines).padStart(6)} ${fmt(r.oursMs).padStart(9)} ${fmt(r.nginxTestMs).padStart(13)} ${fmt(r.oursMs / r.nginxTestMs).padStart(7)} ${fmt(r.nginxConfMs).padStart(15)} ${fmt(r.oursMs / r.nginxConfMs).padStart(7)} ${fmt(r.perLineUs).padStart(9)}`);
}
console.log(`68k lines, where the analysis goes (no target): parse ${fmt(breakdown.parseMs)} ms, tree ${fmt(breakdown.treeMs)} ms, origin ${fmt(breakdown.originMs)} ms, rules and the rest ${fmt(breakdown.rulesMs)} ms; collecting garbage ${fmt(100 * breakdown.collectorShare)} % of the analysis`);
console.log(`2,000 site files: ${fmt(workspaceMs)} ms (nginx -t ${fmt(workspaceNginxMs)} ms); 500 pools: ${fmt(poolsMs)} ms; 1,000 ingress rules: ${fmt(tunnelMs)} ms; corpus: ${fmt(corpusMs)} ms`);
console.log(`keystroke in one of the 2,000 site files (in process, not a target): p50 ${fmt(siteKeystroke.p50)} ms, p95 ${fmt(siteKeystroke.p95)} ms`);
console.log(`LSP: cold start ${fmt(lsp.coldMs)} ms; edit → diagnostics on 17k lines p50 ${fmt(lsp.p50)} ms, p95 ${fmt(lsp.p95)} ms; RSS ${fmt(lsp.rssAfterOpen)} MB after opening 68k, at most ${fmt(lsp.rssLast20Max)} MB over edits 181-200, mean ${fmt(lsp.rss81To100Mean)} → ${fmt(lsp.rss181To200Mean)} MB from edits 81-100 to 181-200`);
console.log('\ntarget figures:');
for (const [name, value] of Object.entries(results.targets)) console.log(`  ${name}: ${fmt(value)}`);
rmSync(work, { recursive: true, force: true });
