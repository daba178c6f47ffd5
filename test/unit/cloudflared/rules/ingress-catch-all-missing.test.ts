import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/ingress-catch-all-missing';
import { assertFixedBy, briefs, findings, yaml } from './harness';

test('the rule is an error about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/ingress-catch-all-missing', 'cloudflared', 'error']);
});

test('a last rule with a hostname is reported on its hostname, in the validator\'s words', () => {
  const text = yaml('ingress:', '  - hostname: a.example.com', '    service: http://127.0.0.1:8080');
  assert.deepEqual(briefs(rule, text), ['cloudflared/ingress-catch-all-missing error /t/cloudflared/config.yml:1:4-1:27']);
  assert.match(findings(rule, text)[0].message, /^The last ingress rule must match all URLs \(i\.e\. it should not have a hostname or path filter\): cloudflared refuses to start/);
});

test('a last rule with only a path is reported on its path', () => {
  const text = yaml('ingress:', '  - service: https://127.0.0.1:8001', '    path: /subpath1/(.*)/subpath2');
  assert.deepEqual(briefs(rule, text), ['cloudflared/ingress-catch-all-missing error /t/cloudflared/config.yml:2:4-2:33']);
});

test('near misses: a catch-all without hostname, with "*" or with an empty hostname; no ingress at all', () => {
  for (const last of ['  - service: http_status:404', '  - hostname: "*"\n    service: http://a:1', '  - hostname: ""\n    service: http://a:1', '  -']) {
    assert.deepEqual(briefs(rule, yaml('ingress:', '  - hostname: a.example.com', '    service: http://a:1', last)), [], last);
  }
  for (const text of [yaml('tunnel: x'), yaml('ingress:'), yaml('ingress: []')]) assert.deepEqual(briefs(rule, text), [], text);
});

test('the fix appends `- service: http_status:404` at the list\'s indentation, after a trailing comment', () => {
  assertFixedBy(
    rule,
    yaml('ingress:', '    - hostname: a.example.com', '      service: http://a:1 # app', 'tunnel: x'),
    yaml('ingress:', '    - hostname: a.example.com', '      service: http://a:1 # app', '    - service: http_status:404', 'tunnel: x'),
  );
});

test('in a flow list the fix appends a flow item', () => {
  assertFixedBy(
    rule,
    yaml('ingress: [{hostname: a.example.com, service: "http://a:1"}]'),
    yaml('ingress: [{hostname: a.example.com, service: "http://a:1"}, { service: http_status:404 }]'),
  );
});

test('the appended rule keeps CRLF line breaks, and a last line without one', () => {
  assertFixedBy(
    rule,
    'ingress:\r\n  - hostname: a.example.com\r\n    service: http://a:1',
    'ingress:\r\n  - hostname: a.example.com\r\n    service: http://a:1\r\n  - service: http_status:404',
  );
});
