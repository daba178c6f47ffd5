import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyze, brief, only } from '../../engine-harness';

test('a missing plain include is an error on its argument, with nginx\'s wording', () => {
  const findings = only(analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    include conf.d/missing.conf;\n}\n',
  }), 'nginx/include-not-found');
  assert.deepEqual(findings.map(brief), ['nginx/include-not-found error /n/nginx.conf:2:12-2:31']);
  assert.match(findings[0].message, /^open\(\) "\/n\/conf.d\/missing.conf" failed \(2: No such file or directory\)/);
});

test('the nginx package files and empty globs are not flagged', () => {
  const findings = analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    include mime.types;\n    include /etc/nginx/fastcgi_params;\n    include conf.d/*.conf;\n}\n',
  });
  assert.deepEqual(findings, []);
});

test('an include of a folder is flagged as not a regular file', () => {
  const findings = only(analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    include conf.d;\n}\n',
    '/n/conf.d/a.conf': 'server_tokens off;\n',
  }), 'nginx/include-not-found');
  assert.deepEqual(findings.map(brief), ['nginx/include-not-found error /n/nginx.conf:2:12-2:18']);
  assert.match(findings[0].message, /not a regular file/);
});

test('include cycles are reported once, on the include that closes the loop', () => {
  const findings = only(analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    include a.conf;\n}\n',
    '/n/a.conf': 'include b.conf;\n',
    '/n/b.conf': 'include a.conf;\n',
  }), 'nginx/include-cycle');
  assert.deepEqual(findings.map(brief), ['nginx/include-cycle error /n/b.conf:0:8-0:14']);
  assert.equal(findings[0].message, 'include loops: /n/nginx.conf → /n/a.conf → /n/b.conf → /n/a.conf. nginx would read these files endlessly and fail to start.');
});

test('a glob that matches its own file is a cycle, not a hang', () => {
  const findings = only(analyze({
    '/n/nginx.conf': 'events {}\nhttp {\n    include *.conf;\n}\n',
    '/n/x.conf': 'server_tokens off;\n',
  }), 'nginx/include-cycle');
  assert.deepEqual(findings.map(brief), ['nginx/include-cycle error /n/nginx.conf:2:12-2:18']);
});
