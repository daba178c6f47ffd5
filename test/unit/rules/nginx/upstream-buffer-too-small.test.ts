import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/nginx/upstream-buffer-too-small';
import { analyze, brief } from '../../engine-harness';
import { applyFix } from './apply-fix';

const lint = (files: Record<string, string>) => analyze(files, {}, { rules: [rule] });
/** A main config whose http block holds `http` and includes the site. */
const site = (body: string, http = '') => ({ '/n/nginx.conf': `events {}\nhttp {\n${http}    include site.conf;\n}\n`, '/n/site.conf': body });
const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

test('an explicit header buffer below 8k: warning on its value; the fix sets 32k and the buffers nginx then needs', () => {
  const files = site('server {\n    location / {\n        proxy_buffer_size 4k;\n        proxy_pass http://127.0.0.1:3000;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/upstream-buffer-too-small warning /n/site.conf:2:26-2:28']);
  assert.equal(
    findings[0].message,
    '"proxy_buffer_size 4k" is smaller than the response headers of many backends (large cookies, many Set-Cookie headers): nginx logs "upstream sent too big header while reading response header from upstream" and answers 502. Set "proxy_buffer_size 32k;" and "proxy_buffers 16 16k;".',
  );
  assert.deepEqual(findings[0].fixes, [{
    title: 'Set proxy_buffer_size 32k, proxy_buffers 16 16k',
    isPreferred: true,
    edits: [
      { file: '/n/site.conf', range: range(2, 26, 28), newText: '32k' },
      { file: '/n/site.conf', range: range(2, 29, 29), newText: '\n        proxy_buffers 16 16k;' },
    ],
  }]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(fixed['/n/site.conf'], 'server {\n    location / {\n        proxy_buffer_size 32k;\n        proxy_buffers 16 16k;\n        proxy_pass http://127.0.0.1:3000;\n    }\n}\n');
  assert.deepEqual(lint(fixed), []);
});

test('the small buffer is reported once, where it is set, for every pass it reaches; grpc has no buffers to add', () => {
  const findings = lint(site(
    'server {\n    location /a { uwsgi_pass 127.0.0.1:8000; }\n    location /b { uwsgi_pass 127.0.0.1:8001; }\n    location /c { grpc_buffer_size 2k; grpc_pass grpc://127.0.0.1:50051; }\n}\n',
    '    uwsgi_buffer_size 1k;\n',
  ));
  assert.deepEqual(findings.map(brief), [
    'nginx/upstream-buffer-too-small warning /n/nginx.conf:2:22-2:24',
    'nginx/upstream-buffer-too-small warning /n/site.conf:3:35-3:37',
  ]);
  assert.equal(findings[0].fixes![0].title, 'Set uwsgi_buffer_size 32k, uwsgi_buffers 16 16k');
  assert.deepEqual(findings[1].fixes, [{
    title: 'Set grpc_buffer_size 32k', isPreferred: true, edits: [{ file: '/n/site.conf', range: range(3, 35, 37), newText: '32k' }],
  }]);
});

test('PHP-FPM with the default one-page buffer: hint on fastcgi_pass, the fix adds both directives below it', () => {
  const files = site('server {\n    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php/php8.2-fpm.sock; # pool www\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/upstream-buffer-too-small hint /n/site.conf:2:8-2:20']);
  assert.equal(
    findings[0].message,
    'fastcgi_buffer_size is nginx\'s default, one memory page (4k on x86): PHP response headers larger than that (a big session cookie, many Set-Cookie headers) make nginx log "upstream sent too big header while reading response header from upstream" and answer 502. Set "fastcgi_buffer_size 32k;" and "fastcgi_buffers 16 16k;".',
  );
  assert.deepEqual(findings[0].fixes![0].edits, [
    { file: '/n/site.conf', range: range(2, 62, 62), newText: '\n        fastcgi_buffer_size 32k;\n        fastcgi_buffers 16 16k;' },
  ]);
  const fixed = applyFix(files, findings[0].fixes![0]);
  assert.equal(
    fixed['/n/site.conf'],
    'server {\n    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php/php8.2-fpm.sock; # pool www\n        fastcgi_buffer_size 32k;\n        fastcgi_buffers 16 16k;\n    }\n}\n',
  );
  assert.deepEqual(lint(fixed), []);
});

test('the hint keeps fastcgi_buffers that already fit, and stays away where the buffer may be set unseen', () => {
  const kept = lint(site('server {\n    location / { fastcgi_pass 127.0.0.1:9000; }\n}\n', '    fastcgi_buffers 8 16k;\n'));
  assert.deepEqual(kept.map((f) => f.fixes![0].title), ['Set fastcgi_buffer_size 32k']);
  // A site whose main config is not in the workspace, and a location that includes a file we cannot read.
  assert.deepEqual(lint({ '/n/sites-enabled/php': 'server {\n    location / { fastcgi_pass 127.0.0.1:9000; }\n}\n' }), []);
  assert.deepEqual(lint(site('server {\n    location / { include /etc/nginx/php-tuning.conf; fastcgi_pass 127.0.0.1:9000; }\n}\n')), []);
});

test('fastcgi_buffer_size 32k with the default buffers: error nginx -t gives, the fix adds fastcgi_buffers 16 16k', () => {
  const files = site('server {\n    location / {\n        fastcgi_buffer_size 32k;\n        fastcgi_pass 127.0.0.1:9000;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/upstream-buffer-too-small error /n/site.conf:2:28-2:31']);
  assert.equal(
    findings[0].message,
    'nginx -t fails: "fastcgi_busy_buffers_size" must be less than the size of all "fastcgi_buffers" minus one buffer (by default 2 × 32k = 64k > 7 × 4k = 28k). The configuration is not loaded: a reload keeps the old one, and a fresh start leaves the origin down (502). Set "fastcgi_buffers 16 16k;".',
  );
  assert.deepEqual(findings[0].fixes, [{
    title: 'Set fastcgi_buffers 16 16k', isPreferred: true,
    edits: [{ file: '/n/site.conf', range: range(2, 32, 32), newText: '\n        fastcgi_buffers 16 16k;' }],
  }]);
  assert.deepEqual(lint(applyFix(files, findings[0].fixes![0])), []);
});

test('a size set in http is judged in the servers that inherit it, and blamed where it is set', () => {
  const findings = lint(site('server {\n    location / { proxy_pass http://127.0.0.1:3000; }\n}\n', '    proxy_buffer_size 64k;\n'));
  assert.deepEqual(findings.map(brief), ['nginx/upstream-buffer-too-small error /n/nginx.conf:2:22-2:25']);
  assert.equal(findings[0].fixes![0].edits[0].newText, '\n    proxy_buffers 16 16k;');
  // Every server overrides the buffers: nginx never checks the http block's own combination.
  assert.deepEqual(lint(site('server {\n    proxy_buffers 16 16k;\n    location / { proxy_pass http://127.0.0.1:3000; }\n}\n', '    proxy_buffer_size 64k;\n')), []);
});

test('busy buffers below the header buffer: blamed on the busy size, with the buffer size as related', () => {
  const files = site('server {\n    proxy_buffer_size 16k;\n    proxy_buffers 8 16k;\n    location / {\n        proxy_busy_buffers_size 8k;\n        proxy_pass http://127.0.0.1:3000;\n    }\n}\n');
  const findings = lint(files);
  assert.deepEqual(findings.map(brief), ['nginx/upstream-buffer-too-small error /n/site.conf:4:32-4:34']);
  assert.match(findings[0].message, /^nginx -t fails: "proxy_busy_buffers_size" must be equal to or greater than the maximum of the value of "proxy_buffer_size" and one of the "proxy_buffers" \(8k < 16k\)\./);
  assert.deepEqual(findings[0].related, [{ file: '/n/site.conf', range: range(1, 4, 26), message: '"proxy_buffer_size" is set here' }]);
  // Twice the larger buffer fits in 7 × 16k: only the busy size changes.
  assert.deepEqual(findings[0].fixes![0].edits, [{ file: '/n/site.conf', range: range(4, 32, 34), newText: '32k' }]);
  assert.deepEqual(lint(applyFix(files, findings[0].fixes![0])), []);
});

test('fewer than two buffers, temp-file sizes below the buffer: the other checks of the merge step', () => {
  const files = site([
    'server {',
    '    location /a { uwsgi_buffers 1 8k; uwsgi_pass 127.0.0.1:8000; }',
    '    location /b { proxy_temp_file_write_size 4k; proxy_buffer_size 8k; proxy_pass http://127.0.0.1:3000; }',
    '    location /c { fastcgi_max_temp_file_size 4k; fastcgi_buffer_size 8k; fastcgi_pass 127.0.0.1:9000; }',
    '}',
    '',
  ].join('\n'));
  const findings = lint(files);
  assert.deepEqual(findings.map((f) => `${brief(f)} ${f.message.split('. The configuration')[0]}`), [
    'nginx/upstream-buffer-too-small error /n/site.conf:1:32-1:36 nginx -t fails: there must be at least 2 "uwsgi_buffers"',
    'nginx/upstream-buffer-too-small error /n/site.conf:2:45-2:47 nginx -t fails: "proxy_temp_file_write_size" must be equal to or greater than the maximum of the value of "proxy_buffer_size" and one of the "proxy_buffers" (4k < 8k)',
    'nginx/upstream-buffer-too-small error /n/site.conf:3:45-3:47 nginx -t fails: "fastcgi_max_temp_file_size" must be equal to zero to disable temporary files usage or must be equal to or greater than the maximum of the value of "fastcgi_buffer_size" and one of the "fastcgi_buffers" (4k < 8k)',
  ]);
  assert.deepEqual(findings[0].fixes![0].edits, [{ file: '/n/site.conf', range: range(1, 32, 36), newText: '16 16k' }]);
  // Temp-file sizes have no quick fix: the rule says which sizes must agree.
  assert.deepEqual(findings.slice(1).map((f) => f.fixes), [undefined, undefined]);
});

test('near misses: sizes nginx accepts, buffers at the limit, a small buffer no pass uses', () => {
  assert.deepEqual(lint(site([
    'server {',
    '    location /a { fastcgi_busy_buffers_size 28k; fastcgi_buffer_size 8k; fastcgi_pass 127.0.0.1:9000; }',
    '    location /b { proxy_buffer_size 8k; proxy_pass http://127.0.0.1:3000; }',
    '    location /c { proxy_buffer_size 128k; proxy_buffers 4 256k; proxy_busy_buffers_size 256k; proxy_pass http://127.0.0.1:3000; }',
    '    location /d { proxy_max_temp_file_size 0; proxy_buffer_size 16k; proxy_buffers 8 16k; proxy_pass http://127.0.0.1:3000; }',
    '    location /e { proxy_buffer_size 4k; return 204; }',
    '}',
    '',
  ].join('\n'))), []);
});
