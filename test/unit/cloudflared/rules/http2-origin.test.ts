import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/http2-origin';
import { assertFixedBy, briefs, findings, yaml } from './harness';

test('the rule is a warning about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/http2-origin', 'cloudflared', 'warning']);
});

test('http2Origin on an http:// rule: on the key, the fix removes its line', () => {
  const text = yaml('ingress:', '  - service: http://127.0.0.1:50051', '    originRequest:', '      http2Origin: true', '      connectTimeout: 10s');
  assert.deepEqual(briefs(rule, text), ['cloudflared/http2-origin warning /t/cloudflared/config.yml:3:6-3:23']);
  assert.equal(
    findings(rule, text)[0].message,
    'http2Origin has no effect on http://127.0.0.1:50051: cloudflared offers HTTP/2 to an origin only over TLS, so requests go out ' +
      'as HTTP/1.1, and an origin that only speaks cleartext HTTP/2 (h2c, e.g. gRPC) answers them with errors (502 Bad Gateway)',
  );
  assertFixedBy(rule, text, yaml('ingress:', '  - service: http://127.0.0.1:50051', '    originRequest:', '      connectTimeout: 10s'));
});

test('a top-level http2Origin is reported once when only plain services inherit it', () => {
  const text = yaml('originRequest:', '  http2Origin: true', 'ingress:', '  - hostname: a', '    service: http://a:1', '  - service: unix:/run/b.sock');
  assert.deepEqual(briefs(rule, text), ['cloudflared/http2-origin warning /t/cloudflared/config.yml:1:2-1:19']);
  assert.match(findings(rule, text)[0].message, /^http2Origin has no effect on http:\/\/a:1, a unix: socket:/);
  assertFixedBy(rule, text, yaml('originRequest:', 'ingress:', '  - hostname: a', '    service: http://a:1', '  - service: unix:/run/b.sock'));
});

test('near misses: TLS services, http2Origin off, top-level setting that an https rule uses, non-HTTP services', () => {
  for (const text of [
    yaml('ingress:', '  - service: https://a:443', '    originRequest:', '      http2Origin: true'),
    yaml('ingress:', '  - service: unix+tls:/run/a.sock', '    originRequest: { http2Origin: true }'),
    yaml('ingress:', '  - service: http://a:1', '    originRequest:', '      http2Origin: false'),
    yaml('originRequest:', '  http2Origin: true', 'ingress:', '  - hostname: a', '    service: http://a:1', '  - service: https://b:443'),
    yaml('originRequest:', '  http2Origin: true', 'ingress:', '  - service: tcp://a:5432'),
    yaml('originRequest:', '  http2Origin: true', 'ingress:', '  - service: http://a:1', '    originRequest:', '      http2Origin: false'),
  ]) {
    assert.deepEqual(briefs(rule, text), [], text);
  }
});
