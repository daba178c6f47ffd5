import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule } from '../../../../server/src/rules/cloudflared/localhost-in-container';
import { applyEdits } from '../../apply-edits';
import { analyze, brief } from '../../engine-harness';

const TUNNEL = '/app/cloudflared/config.yml';
const CONFIG = 'tunnel: app\ningress:\n  - hostname: app.example.com\n    service: http://localhost:8080\n  - service: http_status:404\n';
const COMPOSE = [
  'services:',
  '  web:',
  '    image: nginx:1.27',
  '    ports:',
  '      - "8080:80"',
  '  tunnel:',
  '    image: cloudflare/cloudflared:2025.1.0',
  '    command: tunnel --no-autoupdate run',
  '    volumes:',
  '      - ./cloudflared:/etc/cloudflared',
  '',
].join('\n');

test('a tunnel container that mounts this config and points at localhost: warning, fix to the publishing service', () => {
  const findings = analyze({ [TUNNEL]: CONFIG, '/app/docker-compose.yml': COMPOSE }, {}, { rules: [rule] });
  assert.deepEqual(findings.map(brief), [`cloudflared/localhost-in-container warning ${TUNNEL}:3:13-3:34`]);
  assert.match(findings[0].message, /^http:\/\/localhost:8080 points at the cloudflared container itself: docker-compose.yml runs cloudflared/);
  assert.deepEqual(findings[0].fixes!.map((f) => [f.title, f.isPreferred ?? false]), [['Change to http://web:80', true]]);
  const fixed = applyEdits(CONFIG, findings[0].fixes![0].edits);
  assert.deepEqual(analyze({ [TUNNEL]: fixed, '/app/docker-compose.yml': COMPOSE }, {}, { rules: [rule] }), []);
});

test('near misses stay silent: no compose file, a config not mounted, cloudflared on the host, a named volume', () => {
  assert.deepEqual(analyze({ [TUNNEL]: CONFIG }, {}, { rules: [rule] }), []);
  const elsewhere = COMPOSE.replace('./cloudflared:/etc/cloudflared', './other:/etc/cloudflared');
  assert.deepEqual(analyze({ [TUNNEL]: CONFIG, '/app/docker-compose.yml': elsewhere }, {}, { rules: [rule] }), []);
  const noTunnel = COMPOSE.replace('cloudflare/cloudflared:2025.1.0', 'alpine').replace('tunnel --no-autoupdate run', 'sleep infinity');
  assert.deepEqual(analyze({ [TUNNEL]: CONFIG, '/app/docker-compose.yml': noTunnel }, {}, { rules: [rule] }), []);
  const named = COMPOSE.replace('./cloudflared:/etc/cloudflared', 'tunnel-config:/etc/cloudflared');
  assert.deepEqual(analyze({ [TUNNEL]: CONFIG, '/app/docker-compose.yml': named }, {}, { rules: [rule] }), []);
});
