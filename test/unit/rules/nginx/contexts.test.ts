import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyze, brief, only } from '../../engine-harness';

test('unknown directive: error on the name, nearest known spelling as the preferred fix', () => {
  const findings = analyze({ '/n/site.conf': 'server {\n    location / {\n        proxy_passs http://127.0.0.1:3000;\n    }\n}\n' });
  assert.deepEqual(findings.map(brief), ['nginx/unknown-directive error /n/site.conf:2:8-2:19']);
  assert.equal(findings[0].message, 'unknown directive "proxy_passs": nginx -t fails and the configuration is not loaded. Did you mean "proxy_pass"?');
  assert.deepEqual(findings[0].fixes, [{
    title: 'Change to "proxy_pass"',
    isPreferred: true,
    edits: [{ file: '/n/site.conf', range: { start: { line: 2, character: 8 }, end: { line: 2, character: 19 } }, newText: 'proxy_pass' }],
  }]);
});

test('unknown directive: spellings nginx allows in the block come first', () => {
  const fixes = (text: string) => only(analyze({ '/n/site.conf': text }), 'nginx/unknown-directive')[0].fixes?.map((fix) => [fix.title, fix.isPreferred ?? false]);
  // `http2` and `http` are equally near; only `http2` may stand in a server block.
  assert.deepEqual(fixes('server {\n    htt2 on;\n}\n'), [['Change to "http2"', false], ['Change to "http"', false]]);
  assert.deepEqual(fixes('user nginx;\nuseri www-data;\n'), [['Change to "user"', false], ['Change to "userid"', false]]);
});

test('unknown directive: the fix is not preferred where the spelling is not allowed, or already set in the block', () => {
  const preferred = (text: string) => only(analyze({ '/n/site.conf': text }), 'nginx/unknown-directive')[0].fixes?.map((fix) => fix.isPreferred ?? false);
  assert.deepEqual(preferred('server {\n    location / {\n        proxy_pass http://a;\n        proxy_passs http://b;\n    }\n}\n'), [false]);
  assert.deepEqual(preferred('server {\n    location / {\n        listne 80;\n    }\n}\n'), [false]);
  assert.deepEqual(preferred('server {\n    listne 80;\n}\n'), [true]);
});

test('third-party directives: built-in list and the extraDirectives setting', () => {
  const text = 'server {\n    more_set_headers "X: 1";\n    my_module_on;\n}\n';
  assert.deepEqual(only(analyze({ '/n/a.conf': text }), 'nginx/unknown-directive').map(brief), ['nginx/unknown-directive error /n/a.conf:2:4-2:16']);
  assert.deepEqual(analyze({ '/n/a.conf': text }, { nginx: { extraDirectives: ['my_module_on'] } }), []);
});

test('directive not allowed here: proxy_pass in server, listen in location', () => {
  const findings = analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    server {\n        proxy_pass http://app.internal;\n        location / { listen 80; }\n    }\n}\n',
  });
  assert.deepEqual(findings.map(brief), [
    'nginx/directive-not-allowed-here error /n/nginx.conf:3:8-3:18',
    'nginx/directive-not-allowed-here error /n/nginx.conf:4:21-4:27',
  ]);
  assert.equal(
    findings[0].message,
    '"proxy_pass" directive is not allowed here (in server): nginx -t fails and the configuration is not loaded. Allowed in: location, if in location, limit_except, stream server.',
  );
});

test('a directive in an included file is judged where it is included, with the include as related', () => {
  const findings = analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    '/n/conf.d/bad.conf': 'listen 80;\n',
  });
  assert.deepEqual(findings.map(brief), ['nginx/directive-not-allowed-here error /n/conf.d/bad.conf:0:0-0:6']);
  assert.deepEqual(findings[0].related, [{
    file: '/n/nginx.conf', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 26 } }, message: 'included here, in http',
  }]);
});

test('stream and mail servers take their own directives; if in location takes rewrite directives', () => {
  const findings = analyze({
    '/n/nginx.conf': [
      'events {}',
      'stream {',
      '    upstream db { server 10.0.0.1:5432; }',
      '    server { listen 5432; proxy_pass db; }',
      '}',
      'http {',
      '    server {',
      '        location / {',
      '            if ($request_method = POST) { set $x 1; return 405; add_header X y; proxy_pass http://app.internal; }',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'),
  });
  assert.deepEqual(findings, []);
});

test('the contents of map, types and geo blocks are data, not directives', () => {
  const findings = analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    types { text/html html; }\n    map $uri $x { default 0; ~^/a 1; }\n    geo $g { default no; 10.0.0.0/8 yes; }\n}\n',
  });
  assert.deepEqual(findings, []);
});

test('block shape: a block directive without { and a simple directive with a block', () => {
  const findings = only(analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    server;\n    server_tokens { }\n}\n',
  }), 'nginx/syntax');
  assert.deepEqual(findings.map((f) => `${brief(f)} ${f.message}`), [
    'nginx/syntax error /n/nginx.conf:2:10-2:11 directive "server" has no opening "{"',
    'nginx/syntax error /n/nginx.conf:3:18-3:19 directive "server_tokens" is not terminated by ";"',
  ]);
});

test('misplaced and misshapen directives of several names, interleaved: each one is found (rules read them name by name)', () => {
  const findings = analyze({
    '/n/nginx.conf': [
      'events {}', 'http {', '    server {', '        location / { listen 80; }', '        proxy_pass http://127.0.0.1;', '        location /b { listen 81; }',
      '    }', '    server_tokens { }', '    server;', '    gzip { }', '}', '',
    ].join('\n'),
  });
  assert.deepEqual(findings.map(brief), [
    'nginx/directive-not-allowed-here error /n/nginx.conf:3:21-3:27',
    'nginx/directive-not-allowed-here error /n/nginx.conf:4:8-4:18',
    'nginx/directive-not-allowed-here error /n/nginx.conf:5:22-5:28',
    'nginx/syntax error /n/nginx.conf:7:18-7:19',
    'nginx/syntax error /n/nginx.conf:8:10-8:11',
    'nginx/syntax error /n/nginx.conf:9:9-9:10',
  ]);
});

test('a missing ; before the next directive: zero-width error at the line end, fix inserts it', () => {
  const findings = analyze({ '/n/site.conf': 'server {\n    listen 80\n    server_name a.example;\n}\n' });
  assert.deepEqual(findings.map((f) => `${brief(f)} ${f.message}`), ['nginx/syntax error /n/site.conf:1:13-1:13 missing ";" at the end of this line']);
  assert.deepEqual(findings[0].fixes, [{
    title: 'Insert ";"', isPreferred: true,
    edits: [{ file: '/n/site.conf', range: { start: { line: 1, character: 13 }, end: { line: 1, character: 13 } }, newText: ';' }],
  }]);
});
