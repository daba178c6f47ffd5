import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/unknown-key';
import { assertFixedBy, briefs, findings, yaml } from './harness';

test('the rule is a warning about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/unknown-key', 'cloudflared', 'warning']);
});

test('a miscased originRequest key: on the key, cloudflared\'s words, did you mean, the fix renames it', () => {
  const text = yaml('ingress:', '  - service: https://10.0.0.5', '    originRequest:', '      noTlsVerify: true');
  assert.deepEqual(briefs(rule, text), ['cloudflared/unknown-key warning /t/cloudflared/config.yml:3:6-3:17']);
  assert.equal(
    findings(rule, text)[0].message,
    'field noTlsVerify not found in type config.OriginRequestConfig: cloudflared ignores it. Did you mean `noTLSVerify`?',
  );
  assertFixedBy(rule, text, yaml('ingress:', '  - service: https://10.0.0.5', '    originRequest:', '      noTLSVerify: true'));
});

test('every level: top level, rule, top-level originRequest, warp-routing, access, ipRules', () => {
  const text = yaml(
    'tunel: x',
    'originRequest:',
    '  connectTimout: 10s',
    '  access:',
    '    requried: true',
    '  ipRules:',
    '    - prefx: 10.0.0.0/8',
    'warp-routing:',
    '  maxActiveFlow: 5',
    'ingress:',
    '  - hostnme: a.example.com',
    '    service: http://a:1',
  );
  assert.deepEqual(findings(rule, text).map((f) => [f.range.start.line, f.message]), [
    [0, 'cloudflared does not know the top-level key "tunel" and ignores it. Did you mean `tunnel`?'],
    [2, 'field connectTimout not found in type config.OriginRequestConfig: cloudflared ignores it. Did you mean `connectTimeout`?'],
    [4, 'field requried not found in type config.AccessConfig: cloudflared ignores it. Did you mean `required`?'],
    [6, 'field prefx not found in type config.IngressIPRule: cloudflared ignores it. Did you mean `prefix`?'],
    [8, 'field maxActiveFlow not found in type config.WarpRoutingConfig: cloudflared ignores it. Did you mean `maxActiveFlows`?'],
    [10, 'field hostnme not found in type config.UnvalidatedIngressRule: cloudflared ignores it. Did you mean `hostname`?'],
  ]);
});

test('a key at the wrong level says where it belongs, without a rename', () => {
  const [finding] = findings(rule, yaml('ingress:', '  - service: https://10.0.0.5', '    noTLSVerify: true'));
  assert.equal(
    finding.message,
    "field noTLSVerify not found in type config.UnvalidatedIngressRule: cloudflared ignores it; `noTLSVerify` belongs under the rule's `originRequest:`",
  );
  assert.equal(finding.fixes, undefined);
  assert.match(findings(rule, yaml('tunnel: x', 'connectTimeout: 10s'))[0].message, /belongs under the top-level `originRequest:`$/);
});

test('an unknown key far from every name: no suggestion, no fix', () => {
  const [finding] = findings(rule, yaml('tunnel: x', 'percentage: 3.14'));
  assert.equal(finding.message, 'cloudflared does not know the top-level key "percentage" and ignores it');
  assert.equal(finding.fixes, undefined);
});

test('near misses: known keys at every level, deprecated ones, merge keys, anchor holders', () => {
  const text = yaml(
    'x-defaults: &web',
    '  service: http://app:80',
    'tunnel: x',
    'credentials-file: /etc/cloudflared/x.json',
    'no-autoupdate: true',
    'warp-routing:',
    '  enabled: true',
    'originRequest:',
    '  noTLSVerify: true',
    '  access: { required: true, teamName: t, audTag: [a] }',
    '  ipRules: [{ prefix: 10.0.0.0/8, ports: [80], allow: true }]',
    'ingress:',
    '  - <<: *web',
    '    hostname: a.example.com',
    '    originRequest:',
    '      <<: { connectTimeout: 5s }',
    '      http2Origin: true',
    '  - service: http_status:404',
  );
  assert.deepEqual(briefs(rule, text), []);
});

test('a YAML file in a cloudflared folder that is no cloudflared config is left alone', () => {
  assert.deepEqual(briefs(rule, yaml('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources: [./app]')), []);
});
