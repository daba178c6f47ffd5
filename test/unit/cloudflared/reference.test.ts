import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { CLOUDFLARED_KEYS, cloudflaredKey } from '../../../server/src/reference/cloudflared';

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

test('originRequest knows exactly the yaml keys of cloudflared\'s OriginRequestConfig', () => {
  assert.deepEqual(CLOUDFLARED_KEYS.originRequest.map((k) => k.name).sort(), [
    'access', 'bastionMode', 'caPool', 'connectTimeout', 'disableChunkedEncoding', 'http2Origin', 'httpHostHeader',
    'ipRules', 'keepAliveConnections', 'keepAliveTimeout', 'matchSNItoHost', 'noHappyEyeballs', 'noTLSVerify',
    'originServerName', 'proxyAddress', 'proxyPort', 'proxyType', 'tcpKeepAlive', 'tlsTimeout',
  ]);
  assert.deepEqual(CLOUDFLARED_KEYS['ingress-rule'].map((k) => k.name), ['hostname', 'path', 'service', 'originRequest']);
});

test('lookups by level and exact name, as cloudflared matches keys', () => {
  assert.deepEqual(
    (({ name, level, type, default: def }) => ({ name, level, type, def }))(cloudflaredKey('originRequest', 'connectTimeout')!),
    { name: 'connectTimeout', level: 'originRequest', type: 'duration', def: '30s' },
  );
  assert.equal(cloudflaredKey('originRequest', 'connecttimeout'), undefined);
  assert.equal(cloudflaredKey('ingress-rule', 'connectTimeout'), undefined);
  assert.equal(cloudflaredKey('top-level', 'no-autoupdate')?.type, 'boolean');
  assert.equal(cloudflaredKey('top-level', 'edge-ip-version')?.default, 'auto');
  assert.equal(cloudflaredKey('warp-routing', 'enabled')?.deprecated?.includes('2023.9.0'), true);
  assert.equal(cloudflaredKey('top-level', 'config'), undefined, 'the config file cannot name itself');
});

test('the keys the brief names are all there', () => {
  for (const name of ['tunnel', 'credentials-file', 'ingress', 'originRequest', 'warp-routing', 'logfile', 'loglevel', 'protocol', 'metrics', 'no-autoupdate', 'edge-ip-version']) {
    assert.ok(cloudflaredKey('top-level', name), name);
  }
});

test('every key has a unique name in its level, a doc, and a default that fits its type', () => {
  for (const [level, keys] of Object.entries(CLOUDFLARED_KEYS)) {
    assert.equal(new Set(keys.map((k) => k.name)).size, keys.length, level);
    for (const key of keys) {
      assert.equal(key.level, level);
      assert.ok(key.doc.length > 20, key.name);
      if (key.default === undefined) continue;
      if (key.type === 'duration') assert.match(key.default, GO_DURATION, key.name);
      if (key.type === 'boolean') assert.match(key.default, /^(true|false)$/, key.name);
      if (key.type === 'integer') assert.match(key.default, /^\d+$/, key.name);
    }
  }
});

test('docs name the type and default, and how the key leads to a 502 where it does', () => {
  const doc = cloudflaredKey('originRequest', 'keepAliveTimeout')!.doc;
  assert.match(doc, /default `90s`/);
  assert.match(doc, /a bare number is rejected/);
  assert.match(doc, /\*\*502 role:\*\* /);
});
