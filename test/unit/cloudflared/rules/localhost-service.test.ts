import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/localhost-service';
import { assertFixedBy, briefs, findings, yaml } from './harness';

function withService(value: string): string {
  return yaml('ingress:', '  - hostname: a.example.com', `    service: ${value}`, '  - service: http_status:404');
}

test('the rule is a warning about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/localhost-service', 'cloudflared', 'warning']);
});

test('localhost in an http service: on the value, the fix writes 127.0.0.1', () => {
  const text = withService('http://localhost:8080');
  assert.deepEqual(briefs(rule, text), ['cloudflared/localhost-service warning /t/cloudflared/config.yml:2:13-2:34']);
  assert.equal(
    findings(rule, text)[0].message,
    'cloudflared resolves "localhost" itself and may dial [::1] first or only; an origin that listens on 127.0.0.1 alone then ' +
      'refuses it ("dial tcp [::1]:8080: connect: connection refused") and visitors get 502 Bad Gateway. Write 127.0.0.1',
  );
  assertFixedBy(rule, text, withService('http://127.0.0.1:8080'));
  assertFixedBy(rule, withService("'ssh://LocalHost'"), withService("'ssh://127.0.0.1'"));
  assert.match(findings(rule, withService('ssh://localhost'))[0].message, /\[::1\]:22:/);
});

test('for https the finding has no fix: the certificate name would change', () => {
  const [finding] = findings(rule, withService('https://localhost:8443'));
  assert.equal(finding.fixes, undefined);
});

test('near misses: addresses, other names, sockets, invalid services', () => {
  for (const service of ['http://127.0.0.1:8080', 'http://[::1]:8080', 'http://localhost.example.com', 'http://app:80', 'unix:/run/localhost.sock', 'localhost:8080', 'http_status:404']) {
    assert.deepEqual(briefs(rule, withService(service)), [], service);
  }
});
