import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/credentials-missing';
import { briefs, findings, yaml } from './harness';

test('the rule is a warning about cloudflared configs', () => {
  assert.deepEqual([rule.id, rule.format, rule.defaultSeverity], ['cloudflared/credentials-missing', 'cloudflared', 'warning']);
});

test('a tunnel without credentials: on `tunnel: …`, no fix', () => {
  const text = yaml('tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef', 'ingress:', '  - service: http://127.0.0.1:8080');
  assert.deepEqual(briefs(rule, text), ['cloudflared/credentials-missing warning /t/cloudflared/config.yml:0:0-0:44']);
  const [finding] = findings(rule, text);
  assert.match(finding.message, /^The tunnel has no credentials-file: .*"tunnel credentials file not found"/);
  assert.equal(finding.fixes, undefined);
  assert.equal(briefs(rule, yaml('tunnel: x', 'credentials_file: /etc/cloudflared/x.json')).length, 1, 'a misspelt key is no credentials-file');
});

test('near misses: any credential key, no tunnel, an empty tunnel', () => {
  for (const key of ['credentials-file: /etc/cloudflared/x.json', 'credentials-contents: "{}"', 'token: eyJh', 'token-file: /run/secrets/token']) {
    assert.deepEqual(briefs(rule, yaml('tunnel: x', key)), [], key);
  }
  assert.deepEqual(briefs(rule, yaml('ingress:', '  - service: http_status:404')), []);
  assert.deepEqual(briefs(rule, yaml('tunnel:', 'ingress: []')), []);
});
