import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/scheme-port-mismatch';
import { assertFixedBy, briefs, findings, yaml } from './harness';

function withService(value: string): string {
  return yaml('ingress:', `  - service: ${value}`);
}

test('the rule is an error about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/scheme-port-mismatch', 'cloudflared', 'error']);
});

test('http to port 443: on the value, the fix swaps the scheme', () => {
  const text = withService('http://127.0.0.1:443');
  assert.deepEqual(briefs(rule, text), ['cloudflared/scheme-port-mismatch error /t/cloudflared/config.yml:1:13-1:33']);
  assert.equal(
    findings(rule, text)[0].message,
    'http://127.0.0.1:443 sends plain HTTP to port 443, where origins expect TLS: the origin closes the connection (502 Bad Gateway) or answers 400',
  );
  assertFixedBy(rule, text, withService('https://127.0.0.1:443'));
  assertFixedBy(rule, withService('"WS://app:443"'), withService('"wss://app:443"'));
});

test('https to port 80', () => {
  const text = withService('https://app.internal:80');
  assert.equal(
    findings(rule, text)[0].message,
    'https://app.internal:80 opens a TLS handshake with port 80, where origins speak plain HTTP: the handshake fails and visitors get 502 Bad Gateway',
  );
  assertFixedBy(rule, text, withService('http://app.internal:80'));
});

test('near misses: matching or other ports, other schemes, invalid services', () => {
  for (const service of ['https://a:443', 'http://a:80', 'http://a:8443', 'https://a', 'http://a', 'tcp://a:443', 'ssh://a:80', 'http://a:443/x', 'unix:/s:443']) {
    assert.deepEqual(briefs(rule, withService(service)), [], service);
  }
});
