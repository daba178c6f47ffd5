import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/https-origin-untrusted';
import { assertFixedBy, briefs, findings, yaml } from './harness';

const NO_VERIFY = 'Accept any certificate from the origin (noTLSVerify: true): the origin is no longer authenticated';

test('the rule is a warning about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/https-origin-untrusted', 'cloudflared', 'warning']);
});

test('https to an IP address: on the service, two fixes, originServerName preferred', () => {
  const text = yaml('ingress:', '  - hostname: shop.example.com', '    service: https://10.0.0.5:8443', '  - service: http_status:404');
  assert.deepEqual(briefs(rule, text), ['cloudflared/https-origin-untrusted warning /t/cloudflared/config.yml:2:13-2:34']);
  const [finding] = findings(rule, text);
  assert.equal(
    finding.message,
    'cloudflared checks the certificate of https://10.0.0.5:8443 against the name "10.0.0.5", which a trusted certificate almost ' +
      'never carries: the check fails ("x509: certificate …") and visitors get 502 Bad Gateway. Set originServerName to a name ' +
      'on the certificate, caPool to its CA, or noTLSVerify: true',
  );
  assert.deepEqual(finding.fixes?.map((f) => [f.title, f.isPreferred]), [
    ['Check the certificate for shop.example.com (originServerName: shop.example.com)', true],
    [NO_VERIFY, undefined],
  ]);
  assertFixedBy(rule, text, yaml(
    'ingress:', '  - hostname: shop.example.com', '    service: https://10.0.0.5:8443', '    originRequest:', '      originServerName: shop.example.com',
    '  - service: http_status:404',
  ));
  assertFixedBy(rule, text, yaml(
    'ingress:', '  - hostname: shop.example.com', '    service: https://10.0.0.5:8443', '    originRequest:', '      noTLSVerify: true',
    '  - service: http_status:404',
  ), NO_VERIFY);
});

test('the key joins an existing originRequest map, block or flow', () => {
  assertFixedBy(
    rule,
    yaml('ingress:', '  - service: https://localhost:8443', '    originRequest:', '      connectTimeout: 10s # slow', 'tunnel: x'),
    yaml('ingress:', '  - service: https://localhost:8443', '    originRequest:', '      connectTimeout: 10s # slow', '      noTLSVerify: true', 'tunnel: x'),
    NO_VERIFY,
  );
  assertFixedBy(
    rule,
    yaml('ingress:', '  - service: wss://app:8443', '    originRequest: {connectTimeout: 10s}'),
    yaml('ingress:', '  - service: wss://app:8443', '    originRequest: {connectTimeout: 10s, noTLSVerify: true}'),
    NO_VERIFY,
  );
  assertFixedBy(
    rule,
    yaml('ingress:', '  - service: https://[::1]:8443', '    originRequest:'),
    yaml('ingress:', '  - service: https://[::1]:8443', '    originRequest:', '      noTLSVerify: true'),
    NO_VERIFY,
  );
});

test('a wildcard or missing hostname offers only noTLSVerify', () => {
  const [finding] = findings(rule, yaml('ingress:', '  - hostname: "*.example.com"', '    service: https://127.0.0.1'));
  assert.deepEqual(finding.fixes?.map((f) => f.title), [NO_VERIFY]);
});

test('near misses: a trust setting in the rule, inherited or merged; names with dots; http; unix+tls', () => {
  const trusted = [
    yaml('ingress:', '  - service: https://127.0.0.1', '    originRequest:', '      originServerName: example.com'),
    yaml('ingress:', '  - service: https://127.0.0.1', '    originRequest:', '      caPool: /etc/ssl/origin-ca.pem'),
    yaml('ingress:', '  - service: https://127.0.0.1', '    originRequest:', '      noTLSVerify: yes'),
    yaml('ingress:', '  - service: https://127.0.0.1', '    originRequest:', '      matchSNItoHost: true'),
    yaml('originRequest:', '  noTLSVerify: true', 'ingress:', '  - service: https://localhost:8443'),
    yaml('tls: &tls', '  originServerName: example.com', 'ingress:', '  - service: https://app', '    originRequest:', '      <<: *tls'),
    yaml('ingress:', '  - service: https://app.internal.example'),
    yaml('ingress:', '  - service: http://127.0.0.1:8080'),
    yaml('ingress:', '  - service: unix+tls:/run/app.sock'),
  ];
  for (const text of trusted) assert.deepEqual(briefs(rule, text), [], text);
});

test('a rule-level false does not count as set', () => {
  const text = yaml('originRequest:', '  noTLSVerify: true', 'ingress:', '  - service: https://127.0.0.1', '    originRequest:', '      noTLSVerify: false');
  assert.equal(briefs(rule, text).length, 1);
});
