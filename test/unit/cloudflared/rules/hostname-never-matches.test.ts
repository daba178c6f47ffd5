import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/hostname-never-matches';
import { assertFixedBy, briefs, findings, yaml } from './harness';

function withHostname(value: string): string {
  return yaml('ingress:', `  - hostname: ${value}`, '    service: http://127.0.0.1:8080', '  - service: http_status:404');
}

test('the rule is a warning about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/hostname-never-matches', 'cloudflared', 'warning']);
});

test('a * not followed by a dot: on the value, the fix inserts the dot', () => {
  const text = withHostname('"*example.com"');
  assert.deepEqual(briefs(rule, text), ['cloudflared/hostname-never-matches warning /t/cloudflared/config.yml:1:14-1:28']);
  assert.equal(
    findings(rule, text)[0].message,
    '"*example.com" matches no request: the only wildcard cloudflared knows is a leading "*." for subdomains. Did you mean "*.example.com"?',
  );
  assertFixedBy(rule, text, withHostname('"*.example.com"'));
});

test('upper case where cloudflared compares as written: wildcards and names IDNA refuses', () => {
  const text = withHostname('"*.Example.com"');
  assert.equal(
    findings(rule, text)[0].message,
    '"*.Example.com" never matches: cloudflared compares this hostname case-sensitively, and browsers send host names in lower case. Write it in lower case',
  );
  assertFixedBy(rule, text, withHostname('"*.example.com"'));
  assertFixedBy(rule, withHostname('_acme.Example.com'), withHostname('_acme.example.com'));
  assertFixedBy(rule, withHostname('Shop-.example.com'), withHostname('shop-.example.com'));
});

test('a path in the hostname, without a fix', () => {
  const [finding] = findings(rule, withHostname('example.com/app'));
  assert.match(finding.message, /^"example.com\/app" never matches: the host of a request holds no path/);
  assert.equal(finding.fixes, undefined);
});

test('near misses: upper case that IDNA lower-cases, wildcards, catch-alls, invalid hostnames left to invalid-hostname', () => {
  for (const hostname of ['App.Example.com', 'EXAMPLE.COM', 'MÔÔ.cloudflare.com', '"*.example.com"', '"*"', '""', '_acme.example.com', '"test.*.Example.com"', '"Example.com:443"', '"${DOMAIN}"', '"*.${DOMAIN}"']) {
    assert.deepEqual(briefs(rule, withHostname(hostname)), [], hostname);
  }
});
