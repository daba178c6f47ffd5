import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/connect-timeout-short';
import { assertFixedBy, briefs, findings, yaml } from './harness';

test('the rule is a hint about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/connect-timeout-short', 'cloudflared', 'hint']);
});

test('a short connectTimeout at the top level: on the value, the fix restores 30s', () => {
  const text = yaml('originRequest:', '  connectTimeout: 2s', 'ingress:', '  - service: http://a:1');
  assert.deepEqual(briefs(rule, text), ['cloudflared/connect-timeout-short hint /t/cloudflared/config.yml:1:18-1:20']);
  assert.equal(
    findings(rule, text)[0].message,
    "connectTimeout 2s is short: an origin that is busy, restarting or far away misses it and visitors get 502 Bad Gateway (cloudflared's default is 30s)",
  );
  assertFixedBy(rule, text, yaml('originRequest:', '  connectTimeout: 30s', 'ingress:', '  - service: http://a:1'));
});

test('a short tlsTimeout in a rule, quoted or in milliseconds: the fix restores 10s', () => {
  const text = yaml('ingress:', '  - service: https://a:443', '    originRequest:', '      tlsTimeout: "500ms"');
  assert.match(findings(rule, text)[0].message, /^tlsTimeout 500ms is short: .*default is 10s\)$/);
  assertFixedBy(rule, text, yaml('ingress:', '  - service: https://a:443', '    originRequest:', '      tlsTimeout: 10s'));
  assert.equal(briefs(rule, yaml('originRequest:', '  tlsTimeout: -1s')).length, 1);
});

test('near misses: 5s and more, 0s (no timeout), invalid durations, other keys, warp-routing', () => {
  const text = yaml(
    'warp-routing:',
    '  connectTimeout: 2s',
    'originRequest:',
    '  connectTimeout: 5s',
    '  tlsTimeout: 0s',
    '  keepAliveTimeout: 1s',
    'ingress:',
    '  - service: http://a:1',
    '    originRequest:',
    '      connectTimeout: 1m',
    '      tlsTimeout: 2',
  );
  assert.deepEqual(briefs(rule, text), []);
});
