import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/invalid-value';
import { assertFixedBy, briefs, findings, yaml } from './harness';

/** One rule whose originRequest holds this line. */
function withOriginRequest(line: string): string {
  return yaml('ingress:', '  - service: http://127.0.0.1:8080', '    originRequest:', `      ${line}`);
}

test('the rule is an error about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/invalid-value', 'cloudflared', 'error']);
});

test('a bare number as a duration: on the value, yaml.v3\'s words, the fix adds the unit', () => {
  const text = withOriginRequest('connectTimeout: 30');
  assert.deepEqual(briefs(rule, text), ['cloudflared/invalid-value error /t/cloudflared/config.yml:3:22-3:24']);
  assert.equal(
    findings(rule, text)[0].message,
    'cannot unmarshal !!int `30` into time.Duration: cloudflared refuses to load the config file. A duration needs its unit: `30s`',
  );
  assertFixedBy(rule, text, withOriginRequest('connectTimeout: 30s'));
  assertFixedBy(rule, withOriginRequest('keepAliveTimeout: "90"'), withOriginRequest('keepAliveTimeout: 90s'));
  assertFixedBy(rule, yaml('originRequest:', '  tlsTimeout: 0'), yaml('originRequest:', '  tlsTimeout: 0s'));
});

test('a duration string Go cannot read: no fix', () => {
  const [finding] = findings(rule, withOriginRequest('connectTimeout: 30 sec'));
  assert.equal(
    finding.message,
    'cannot unmarshal !!str `30 sec` into time.Duration: cloudflared refuses to load the config file. A duration is written with its unit: `30s`, `1m30s`, `500ms`',
  );
  assert.equal(finding.fixes, undefined);
});

test('booleans, integers and lists in the typed sections', () => {
  assert.equal(findings(rule, withOriginRequest('noTLSVerify: "true"'))[0].message, 'cannot unmarshal !!str `true` into bool: cloudflared refuses to load the config file');
  assertFixedBy(rule, withOriginRequest('noTLSVerify: "True"'), withOriginRequest('noTLSVerify: true'));
  assertFixedBy(rule, withOriginRequest("keepAliveConnections: '10'"), withOriginRequest('keepAliveConnections: 10'));
  assert.match(findings(rule, withOriginRequest('proxyPort: -1'))[0].message, /^cannot unmarshal !!int `-1` into uint:/);
  assert.match(findings(rule, withOriginRequest('access: { audTag: x }'))[0].message, /^cannot unmarshal !!str `x` into \[\]string:/);
  assert.match(findings(rule, withOriginRequest('ipRules: [{ prefix: 10.0.0.0/8, ports: [80, http] }]'))[0].message, /^cannot unmarshal !!str `http` into int:/);
  assert.match(findings(rule, withOriginRequest('ipRules: [10.0.0.0/8]'))[0].message, /^cannot unmarshal !!str `10.0.0.0\/8` into config.IngressIPRule:/);
  assert.match(findings(rule, yaml('warp-routing:', '  maxActiveFlows: many'))[0].message, /^cannot unmarshal !!str `many` into uint64:/);
  assert.match(findings(rule, yaml('ingress:', '  - service:', '      url: http://a'))[0].message, /^cannot unmarshal !!map into string:/);
  assert.match(findings(rule, yaml('originRequest: none'))[0].message, /^cannot unmarshal !!str `none` into config.OriginRequestConfig:/);
});

test('a list item that is no map is reported on the item', () => {
  const text = yaml('ingress:', '  - http://127.0.0.1:8080');
  assert.deepEqual(briefs(rule, text), ['cloudflared/invalid-value error /t/cloudflared/config.yml:1:2-1:25']);
  assert.match(findings(rule, text)[0].message, /^cannot unmarshal !!str `http:\/\/...` into config.UnvalidatedIngressRule: /);
});

test('top-level flags take their own YAML type, in altsrc\'s words', () => {
  const stringFlag = yaml('edge-ip-version: 4');
  assert.deepEqual(briefs(rule, stringFlag), ['cloudflared/invalid-value error /t/cloudflared/config.yml:0:17-0:18']);
  assert.equal(findings(rule, stringFlag)[0].message, 'expected string found int for edge-ip-version: cloudflared refuses to start');
  assertFixedBy(rule, stringFlag, yaml('edge-ip-version: "4"'));
  assertFixedBy(rule, yaml('no-autoupdate: yes'), yaml('no-autoupdate: true'));
  assertFixedBy(rule, yaml('retries: "3"'), yaml('retries: 3'));
  assertFixedBy(rule, yaml('grace-period: 30'), yaml('grace-period: 30s'));
  assert.equal(findings(rule, yaml('grace-period: 30x'))[0].message, 'time: unknown unit "x" in duration "30x": cloudflared refuses to start. A duration is written with its unit: `30s`, `1m30s`, `500ms`');
  assert.equal(findings(rule, yaml('tag: env=prod'))[0].message, 'expected string slice found string for tag: cloudflared refuses to start');
  assert.equal(findings(rule, yaml('tag: [env=prod, 3]'))[0].message, 'expected string, found int for 3: cloudflared refuses to start');
  assert.equal(findings(rule, yaml('retries: 2.5'))[0].message, 'expected int found float64 for retries: cloudflared refuses to start');
});

test('an empty top-level flag is no string either, reported on the key', () => {
  const text = yaml('tunnel: x', 'logfile:');
  assert.deepEqual(briefs(rule, text), ['cloudflared/invalid-value error /t/cloudflared/config.yml:1:0-1:7']);
  assert.equal(findings(rule, text)[0].message, 'expected string found <nil> for logfile: cloudflared refuses to start');
});

test('protocol is auto, quic or http2', () => {
  const text = yaml('protocol: http/2');
  assert.match(findings(rule, text)[0].message, /^unknown protocol http\/2, Available protocols: 'auto' - /);
  assertFixedBy(rule, text, yaml('protocol: http2'));
});

test('near misses: what yaml.v3 and altsrc accept', () => {
  const text = yaml(
    'tunnel: 1234',
    'protocol: h2mux',
    'retries: 1_000',
    'no-autoupdate: True',
    'edge-ip-version: !!str 6',
    'grace-period: 1m30s',
    'tag: [a=b]',
    'unknown-key: [whatever]',
    'warp-routing:',
    '  enabled: maybe',
    '  connectTimeout: 5s',
    'originRequest:',
    '  connectTimeout: "0"',
    '  keepAliveTimeout: ${KEEPALIVE}',
    '  tlsTimeout: 1.5s',
    '  noTLSVerify: yes',
    '  keepAliveConnections: 1.5',
    '  proxyPort: 0x10',
    '  httpHostHeader: 8080',
    '  caPool: ~',
    '  ipRules: [{ prefix: 10.0.0.0/8, ports: [80, ~], allow: on }]',
    '  access: { required: true, audTag: [1, b] }',
    'ingress:',
    '  - hostname: 123',
    '    service: http_status:404',
    '    originRequest:',
    '      keepAliveTimeout:',
    '  -',
  );
  assert.deepEqual(briefs(rule, text), []);
});
