import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/invalid-service';
import { assertFixedBy, briefs, findings, yaml } from './harness';

/** A config whose first rule has this service line, then a catch-all. */
function withService(line: string): string {
  return yaml('ingress:', '  - hostname: a.example.com', `    ${line}`, '  - service: http_status:404');
}

test('the rule is an error about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/invalid-service', 'cloudflared', 'error']);
});

test('a service without a scheme: on the value, the validator\'s words, the fix adds http://', () => {
  const text = withService('service: localhost:8000');
  assert.deepEqual(briefs(rule, text), ['cloudflared/invalid-service error /t/cloudflared/config.yml:2:13-2:27']);
  assert.equal(
    findings(rule, text)[0].message,
    'localhost:8000 is an invalid address, please make sure it has a scheme and a hostname: cloudflared refuses to start',
  );
  assertFixedBy(rule, text, withService('service: http://localhost:8000'));
  assertFixedBy(rule, withService('service: "127.0.0.1:8080"'), withService('service: "http://127.0.0.1:8080"'));
});

test('a URL with a path, even a lone slash: the fix removes the path and keeps a query', () => {
  const text = withService('service: https://localhost:8000/static/');
  assert.deepEqual(briefs(rule, text), ['cloudflared/invalid-service error /t/cloudflared/config.yml:2:13-2:43']);
  assert.equal(
    findings(rule, text)[0].message,
    'https://localhost:8000/static/ is an invalid address, ingress rules don\'t support proxying to a different path on the ' +
      "origin service. The path will be the same as the eyeball request's path: cloudflared refuses to start",
  );
  assertFixedBy(rule, text, withService('service: https://localhost:8000'));
  assertFixedBy(rule, withService("service: 'http://127.0.0.1:80/?x=1'"), withService("service: 'http://127.0.0.1:80?x=1'"));
});

test('what url.Parse refuses is reported with Go\'s error, without a fix', () => {
  const [finding] = findings(rule, withService('service: https://local host:8000'));
  assert.equal(finding.message, 'parse "https://local host:8000": invalid character " " in host name: cloudflared refuses to start');
  assert.equal(finding.fixes, undefined);
});

test('http_status needs a number from 100 to 999', () => {
  assert.equal(
    findings(rule, withService('service: http_status:asdf'))[0].message,
    'invalid HTTP status code: strconv.Atoi: parsing "asdf": invalid syntax: cloudflared refuses to start',
  );
  assert.equal(findings(rule, withService('service: http_status:8080'))[0].message, 'invalid HTTP status code: 8080: cloudflared refuses to start');
  assert.equal(findings(rule, withService('service: http_status:99'))[0].message, 'invalid HTTP status code: 99: cloudflared refuses to start');
});

test('a misspelt built-in service: did you mean, and a fix', () => {
  const text = withService('service: helloworld');
  assert.match(findings(rule, text)[0].message, /Did you mean `hello_world`\?$/);
  assertFixedBy(rule, text, withService('service: hello_world'));
});

test('a rule without a service is reported from its `-` to its first key', () => {
  const text = yaml('ingress:', '  - hostname: a.example.com', '    path: /x', '  - service: http_status:404');
  assert.deepEqual(briefs(rule, text), ['cloudflared/invalid-service error /t/cloudflared/config.yml:1:2-1:12']);
  assert.match(findings(rule, text)[0].message, /^Rule #1 has no service: cloudflared refuses to start/);
  assert.deepEqual(briefs(rule, yaml('ingress:', '  -')), ['cloudflared/invalid-service error /t/cloudflared/config.yml:1:2-1:3']);
});

test('near misses: every form cloudflared accepts', () => {
  for (const service of [
    'http://127.0.0.1:8080', 'https://localhost', 'HTTP://Example.com:80', 'ws://a:1', 'wss://a:1', 'tcp://127.0.0.1', 'ssh://localhost:22',
    'rdp://h', 'smb://h', 'ftp://127.0.0.1', 'http://[::1]:8080', 'http://h?x=1', 'http://h#top', 'unix:/run/app.sock', 'unix+tls:/run/app.sock',
    'unix:', 'http_status:404', 'https://${ORIGIN}', '"{{ .Values.origin }}"', 'http_status:+200', 'hello_world', 'hello-world', 'bastion', 'socks-proxy', '"http://a:1"',
  ]) {
    assert.deepEqual(briefs(rule, withService(`service: ${service}`)), [], service);
  }
});

test('bastionMode, in the rule or inherited, makes any service (or none) a bastion', () => {
  assert.deepEqual(briefs(rule, yaml('ingress:', '- hostname: b.foo.com', '  originRequest:', '    bastionMode: true', '- service: http_status:404')), []);
  assert.deepEqual(briefs(rule, yaml('originRequest:', '  bastionMode: yes', 'ingress:', '  - service: whatever')), []);
  // The special forms are read before bastionMode, so a bad status code is still refused.
  assert.equal(briefs(rule, yaml('originRequest:', '  bastionMode: true', 'ingress:', '  - service: http_status:1')).length, 1);
});

test('a list item that is no map is left to invalid-value', () => {
  assert.deepEqual(briefs(rule, yaml('ingress:', '  - http://a:1')), []);
});
