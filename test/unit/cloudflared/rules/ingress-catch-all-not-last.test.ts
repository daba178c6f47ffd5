import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/ingress-catch-all-not-last';
import { assertFixedBy, briefs, findings, yaml } from './harness';

test('the rule is an error about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/ingress-catch-all-not-last', 'cloudflared', 'error']);
});

test('a catch-all first rule is reported on its hostname or service, in the validator\'s words', () => {
  const text = yaml('ingress:', '  - service: https://localhost:8000', '  - hostname: example.com', '    service: https://localhost:8000');
  assert.deepEqual(briefs(rule, text), ['cloudflared/ingress-catch-all-not-last error /t/cloudflared/config.yml:1:4-1:35']);
  assert.equal(
    findings(rule, text)[0].message,
    "Rule #1 is matching the hostname '', but this will match every hostname, meaning the rules which follow it will never " +
      'be triggered: cloudflared refuses to start',
  );
  const star = yaml('ingress:', '  - hostname: "*"', '    service: http://a:1', '  - hostname: b', '    service: http://b:1');
  assert.deepEqual(briefs(rule, star), ['cloudflared/ingress-catch-all-not-last error /t/cloudflared/config.yml:1:4-1:17']);
  assert.match(findings(rule, star)[0].message, /^Rule #1 is matching the hostname '\*'/);
});

test('near misses: a catch-all last, earlier rules with a hostname or a path', () => {
  const text = yaml(
    'ingress:', '  - hostname: a.example.com', '    service: http://a:1', '  - path: ^/api/', '    service: http://b:1',
    '  - hostname: "*"', '    path: \\.png$', '    service: http://c:1', '  - service: http_status:404',
  );
  assert.deepEqual(briefs(rule, text), []);
});

test('the fix moves the rule, comments on its lines included, to the end', () => {
  assertFixedBy(
    rule,
    yaml('ingress:', '  - service: http://app:80 # fallback', '    originRequest:', '      connectTimeout: 10s', '  - hostname: b.example.com', '    service: http://b:1', 'tunnel: x'),
    yaml('ingress:', '  - hostname: b.example.com', '    service: http://b:1', '  - service: http://app:80 # fallback', '    originRequest:', '      connectTimeout: 10s', 'tunnel: x'),
  );
});

test('when the last rule is a catch-all too, the fix removes this one', () => {
  assertFixedBy(
    rule,
    yaml('ingress:', '  - service: http://app:80', '  - hostname: b.example.com', '    service: http://b:1', '  - service: http_status:404'),
    yaml('ingress:', '  - hostname: b.example.com', '    service: http://b:1', '  - service: http_status:404'),
  );
});

test('no fix in a flow list', () => {
  const [finding] = findings(rule, yaml('ingress: [{service: "http://a:1"}, {hostname: b, service: "http://b:1"}]'));
  assert.equal(finding.fixes, undefined);
});

test('the move keeps CRLF line breaks', () => {
  const crlf = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
  assertFixedBy(
    rule,
    crlf('ingress:', '  - service: http://app:80', '  - hostname: b.example.com', '    service: http://b:1'),
    crlf('ingress:', '  - hostname: b.example.com', '    service: http://b:1', '  - service: http://app:80'),
  );
});
