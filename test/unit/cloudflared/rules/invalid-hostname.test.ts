import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/invalid-hostname';
import { assertFixedBy, briefs, findings, yaml } from './harness';

function withHostname(value: string): string {
  return yaml('ingress:', `  - hostname: ${value}`, '    service: https://localhost:8000', '  - service: http_status:404');
}

test('the rule is an error about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/invalid-hostname', 'cloudflared', 'error']);
});

test('a port in the hostname: on the value, the validator\'s words, the fix drops the port', () => {
  const text = withHostname('"test.example.com:443"');
  assert.deepEqual(briefs(rule, text), ['cloudflared/invalid-hostname error /t/cloudflared/config.yml:1:14-1:36']);
  assert.equal(findings(rule, text)[0].message, 'Hostname cannot contain a port: cloudflared refuses to start');
  assertFixedBy(rule, text, withHostname('"test.example.com"'));
  assertFixedBy(rule, withHostname("'app.example.com:'"), withHostname("'app.example.com'"));
});

test('a hostname written as a URL is a port to Go; the fix keeps the name', () => {
  const text = withHostname('https://app.example.com/');
  assert.equal(
    findings(rule, text)[0].message,
    'Hostname cannot contain a port (nor a scheme: Go reads one as a host followed by a port): cloudflared refuses to start',
  );
  assertFixedBy(rule, text, withHostname('app.example.com'));
});

test('a wildcard anywhere but at the start', () => {
  for (const hostname of ['"test.*.example.com"', '"**.example.com"', 'example.*']) {
    const [finding] = findings(rule, withHostname(hostname));
    assert.equal(
      finding.message,
      'Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. ' +
        '"*.example.com": cloudflared refuses to start',
      hostname,
    );
    assert.equal(finding.fixes, undefined);
  }
});

test('near misses: names, a leading wildcard, "*", empty or missing hostnames, IPv6 without a port', () => {
  for (const hostname of ['example.com', '"*.example.com"', '"*"', '""', '"*example.com"', 'môô.cloudflare.com', 'Example.COM', '"::1"', '"${HOST}:${PORT}"']) {
    assert.deepEqual(briefs(rule, withHostname(hostname)), [], hostname);
  }
  assert.deepEqual(briefs(rule, yaml('ingress:', '  - service: http_status:404')), []);
});
