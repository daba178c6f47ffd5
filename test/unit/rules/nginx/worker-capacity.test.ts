import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/worker-capacity';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const run = (files: Record<string, string>) => analyze(files, {}, { rules: [rule] });

const mainConfig = (top: string[], events: string[]) => [...top, 'events {', ...events.map((l) => `    ${l}`), '}', 'http {}', ''].join('\n');

test('few connections, a low file limit and one worker: three hints on the values, each with its fix', () => {
  const files = { '/n/nginx.conf': mainConfig(['worker_processes 1;', 'worker_rlimit_nofile 256;'], ['worker_connections 384;']) };
  const findings = run(files);
  assert.deepEqual(findings.map(brief), [
    'nginx/worker-capacity hint /n/nginx.conf:0:17-0:18',
    'nginx/worker-capacity hint /n/nginx.conf:1:21-1:24',
    'nginx/worker-capacity hint /n/nginx.conf:3:23-3:26',
  ]);
  assert.deepEqual(findings.map((f) => f.message), [
    'worker_processes 1: a single worker on one CPU core holds every connection, so a traffic spike runs out of connections sooner ("worker_connections are not enough"). Use "auto" for one worker per core.',
    'worker_rlimit_nofile 256 is below worker_connections (384): a worker runs out of file descriptors ("Too many open files") before it runs out of connections, and requests fail under a spike. Raise it to 2048, at least twice worker_connections: a proxied request takes two descriptors.',
    'worker_connections 384: each worker holds at most 384 connections, and a proxied request takes two, so a traffic spike ends in "worker_connections are not enough" and refused or failed requests. Raise it to 1024 or more.',
  ]);
  assert.deepEqual(findings[1].related, [{
    file: '/n/nginx.conf', range: { start: { line: 3, character: 4 }, end: { line: 3, character: 27 } }, message: 'worker_connections is set here',
  }]);
  assert.deepEqual(findings.map((f) => f.fixes?.map((fix) => [fix.title, fix.edits.map((e) => e.newText)])), [
    [['Set worker_processes to auto', ['auto']]],
    [['Raise worker_rlimit_nofile to 2048', ['2048']]],
    [['Raise worker_connections to 1024', ['1024']]],
  ]);
  assert.deepEqual(findings[2].fixes?.[0].edits[0].range, { start: { line: 3, character: 23 }, end: { line: 3, character: 26 } });

  // Each fix silences its own finding; all three together silence the rule.
  for (const [i, finding] of findings.entries()) {
    const left = run(applyFix(files, finding.fixes![0])).map(brief);
    assert.ok(!left.includes(brief(finding)), `fix ${i} leaves its finding`);
  }
  const allFixed = findings.reduce<Record<string, string>>((current, f) => applyFix(current, f.fixes![0]), files);
  assert.equal(allFixed['/n/nginx.conf'], mainConfig(['worker_processes auto;', 'worker_rlimit_nofile 2048;'], ['worker_connections 1024;']));
  assert.deepEqual(run(allFixed), []);
});

test('a file limit below the default 512 connections; twice a large worker_connections', () => {
  const low = run({ '/n/nginx.conf': mainConfig(['worker_rlimit_nofile 400;'], []) });
  assert.deepEqual(low.map(brief), ['nginx/worker-capacity hint /n/nginx.conf:0:21-0:24']);
  assert.match(low[0].message, /below worker_connections \(512, the default\)/);
  assert.deepEqual(low[0].related, undefined);

  const large = run({ '/n/nginx.conf': mainConfig(['worker_rlimit_nofile 4096;'], ['worker_connections 8192;']) });
  assert.deepEqual(large[0].fixes?.[0].edits.map((e) => e.newText), ['16384']);
});

test('directives in files the main config includes are judged where they are', () => {
  const findings = run({
    '/n/nginx.conf': 'include main.d/*.conf;\nevents {\n    include events.d/*.conf;\n}\nhttp {}\n',
    '/n/main.d/workers.conf': 'worker_processes 1;\n',
    '/n/events.d/connections.conf': 'worker_connections 128;\n',
  });
  assert.deepEqual(findings.map(brief), [
    'nginx/worker-capacity hint /n/events.d/connections.conf:0:19-0:22',
    'nginx/worker-capacity hint /n/main.d/workers.conf:0:17-0:18',
  ]);
});

test('near misses stay silent', () => {
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['worker_processes auto;'], ['worker_connections 512;']) }), []);
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['worker_processes 4;', 'worker_rlimit_nofile 1024;'], ['worker_connections 1024;']) }), []);
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig(['worker_rlimit_nofile 512;'], []) }), []);
  assert.deepEqual(run({ '/n/nginx.conf': mainConfig([], []) }), []);
  // Not a main config: a site holds none of these, and a stray one is another rule's business.
  assert.deepEqual(run({ '/n/sites-available/a.conf': 'server {\n    listen 80;\n}\n' }), []);
});
