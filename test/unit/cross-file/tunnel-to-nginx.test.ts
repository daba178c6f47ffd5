import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { rule as noListener } from '../../../server/src/rules/cloudflared/service-no-listener';
import { rule as schemeMismatch } from '../../../server/src/rules/cloudflared/scheme-listener-mismatch';
import { applyEdits } from '../apply-edits';
import { analyze, brief, workspace } from '../engine-harness';
import { CONTAINERS, DEBIAN, SITE, TUNNEL, withFile } from './fixtures';

const rules = [noListener, schemeMismatch];
const service = (value: string) => withFile(DEBIAN, TUNNEL, (t) => t.replace('http://localhost:80', value));
const SHOP_TLS = 'server {\n    listen 443 ssl;\n    server_name shop.example.com;\n    ssl_certificate /etc/ssl/shop.pem;\n    ssl_certificate_key /etc/ssl/shop.key;\n}\n';

test('the Debian tunnel reaches nginx on port 80, and containers are not judged: nothing to say', () => {
  assert.deepEqual(analyze(DEBIAN, {}, { rules }), []);
  assert.deepEqual(analyze(CONTAINERS, {}, { rules }), []);
  assert.deepEqual(analyze(service('http://127.0.0.1'), {}, { rules }), []);
  assert.deepEqual(analyze(service('http://[::1]:80'), {}, { rules }), []);
});

test('a port nginx does not listen on: an error on the service, each nginx listen as related and as a fix', () => {
  const files: Record<string, string> = { ...service('http://localhost:8080'), '/etc/nginx/sites-enabled/shop-tls.conf': SHOP_TLS };
  const findings = analyze(files, {}, { rules });
  assert.deepEqual(findings.map(brief), [`cloudflared/service-no-listener error ${TUNNEL}:4:13-4:34`]);
  const [finding] = findings;
  assert.equal(finding.message,
    'No nginx server of this workspace listens on port 8080 of localhost: cloudflared logs "dial tcp localhost:8080: connect: '
    + 'connection refused" and answers 502 to every request for shop.example.com. nginx listens on 443 ssl, 80.');
  // In nginx's order: the include glob sorts shop-tls.conf before shop.conf.
  assert.deepEqual(finding.related!.map((r) => [r.file, r.range.start.line, r.message]), [
    ['/etc/nginx/sites-enabled/shop-tls.conf', 1, 'nginx listens on 443 ssl'],
    [SITE, 1, 'nginx listens on 80'],
  ]);
  assert.deepEqual(finding.fixes!.map((f) => [f.title, f.isPreferred ?? false]), [
    ['Send to https://localhost:443', false],
    ['Send to http://localhost:80', false],
  ]);
  assert.equal(applyEdits(files[TUNNEL], finding.fixes![1].edits), DEBIAN[TUNNEL]);
});

test('adding the listen in nginx clears the tunnel\'s finding', () => {
  const { engine, host } = workspace(service('http://localhost:8080'), {}, { rules });
  assert.equal(engine.analyze().findings.length, 1);
  engine.setFile(SITE, DEBIAN[SITE].replace('    listen 80;', '    listen 80;\n    listen 127.0.0.1:8080;'), 'nginx');
  assert.deepEqual(engine.analyze().findings, []);
  engine.deleteFile(SITE);
  host.delete(SITE);
  assert.deepEqual(engine.analyze().findings, [], 'no nginx server left: the other side is absent');
});

test('a server without listen is nginx\'s *:80, related at its server keyword', () => {
  const files = { ...service('http://127.0.0.1:8000'), [SITE]: 'server {\n    server_name shop.example.com;\n}\n' };
  const [finding] = analyze(files, {}, { rules });
  assert.match(finding.message, /nginx listens on 80 \(nginx's default for a server without listen\)\.$/);
  assert.deepEqual(finding.related![0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } });
  assert.deepEqual(finding.fixes!.map((f) => f.edits[0].newText), ['http://127.0.0.1:80']);
  assert.equal(finding.fixes![0].isPreferred, true);
  assert.deepEqual(analyze({ ...files, [TUNNEL]: DEBIAN[TUNNEL] }, {}, { rules }), []);
});

test('the listen\'s address counts: a specific interface is not localhost; other hosts and QUIC do not count', () => {
  const onInterface = { ...service('http://localhost:8080'), [SITE]: 'server {\n    listen 10.0.0.5:8080;\n}\n' };
  const [finding] = analyze(onInterface, {}, { rules });
  assert.equal(brief(finding), `cloudflared/service-no-listener error ${TUNNEL}:4:13-4:34`);
  assert.deepEqual(finding.fixes!.map((f) => f.edits[0].newText), ['http://10.0.0.5:8080']);
  assert.deepEqual(analyze(service('http://10.0.0.9:8080'), {}, { rules }), [], 'another machine');
  assert.deepEqual(analyze(service('http://web:8080'), {}, { rules }), [], 'a container name');
  const quicOnly = { ...service('https://localhost:8443'), [SITE]: 'server {\n    listen 80;\n    listen 8443 quic;\n}\n' };
  assert.deepEqual(analyze(quicOnly, {}, { rules }).map((f) => f.rule), ['cloudflared/service-no-listener']);
});

test('a stream server may take the connection: no finding', () => {
  const files = {
    ...service('https://localhost:8443'),
    [SITE]: 'server {\n    listen 80;\n}\n',
    '/etc/nginx/nginx.conf': `${DEBIAN['/etc/nginx/nginx.conf']}stream {\n    server { listen 8443; proxy_pass 10.0.0.2:443; }\n}\n`,
  };
  assert.deepEqual(analyze(files, {}, { rules }), []);
});

test('https:// to a listen without ssl: an error, swapped to http:// with the port written out', () => {
  const files = service('https://localhost');
  const plain443 = { ...files, [SITE]: 'server {\n    listen 443;\n}\n' };
  const findings = analyze(plain443, {}, { rules });
  assert.deepEqual(findings.map(brief), [`cloudflared/scheme-listener-mismatch error ${TUNNEL}:4:13-4:30`]);
  assert.equal(findings[0].message, 'https://localhost speaks TLS, but nginx\'s listen there has no ssl: the handshake fails '
    + '(cloudflared logs "tls: first record does not look like a TLS handshake") and cloudflared answers 502.');
  assert.deepEqual(findings[0].related, [{ file: SITE, range: { start: { line: 1, character: 4 }, end: { line: 1, character: 15 } }, message: 'nginx listens without ssl here' }]);
  assert.deepEqual(findings[0].fixes!.map((x) => x.edits[0].newText), ['http://localhost:443']);
  // https on port 80 is cloudflared/scheme-port-mismatch's finding, reported once, by that rule.
  assert.deepEqual(analyze(service('https://localhost:80'), {}, { rules }), []);
});

test('http:// to an ssl listen (or a server with ssl on): nginx answers 400; swapped to https://', () => {
  const tls8443 = SHOP_TLS.replace('listen 443 ssl;', 'listen 8443 ssl;');
  const files: Record<string, string> = { ...service('http://localhost:8443'), [SITE]: tls8443 };
  const findings = analyze(files, {}, { rules });
  assert.deepEqual(findings.map(brief), [`cloudflared/scheme-listener-mismatch error ${TUNNEL}:4:13-4:34`]);
  assert.equal(findings[0].message, 'http://localhost:8443 speaks plain HTTP, but nginx\'s listen there has ssl: nginx answers every request with "400 The plain HTTP request was sent to HTTPS port".');
  assert.deepEqual(findings[0].fixes!.map((f) => [f.title, f.edits[0].newText]), [['Change to https://localhost:8443', 'https://localhost:8443']]);
  const sslOn = { ...files, [SITE]: tls8443.replace('listen 8443 ssl;', 'listen 8443;\n    ssl on;') };
  assert.equal(analyze(sslOn, {}, { rules }).length, 1);
  assert.deepEqual(analyze({ ...files, [TUNNEL]: files[TUNNEL].replace('http://', 'https://') }, {}, { rules }), []);
  assert.deepEqual(analyze({ ...service('http://localhost:443'), [SITE]: SHOP_TLS }, {}, { rules }), [], 'http on 443 is scheme-port-mismatch\'s');
});

test('listens that disagree on ssl for one address, and unix sockets, are judged only when all agree', () => {
  const mixed = { ...service('https://localhost:8443'), [SITE]: 'server {\n    listen 8443 ssl;\n}\nserver {\n    listen 127.0.0.1:8443;\n}\n' };
  assert.deepEqual(analyze(mixed, {}, { rules }), []);
  const socket: Record<string, string> = { ...service('unix:/run/nginx/shop.sock'), [SITE]: 'server {\n    listen unix:/run/nginx/shop.sock ssl;\n}\n' };
  assert.deepEqual(analyze(socket, {}, { rules }).flatMap((f) => f.fixes!.map((x) => x.edits[0].newText)), ['unix+tls:/run/nginx/shop.sock']);
});

test('service-no-listener: silent for an app server that nginx itself proxies to', () => {
  const findings = analyze({
    '/t/cloudflared/config.yml': 'tunnel: t\ningress:\n  - hostname: api.example.com\n    service: http://127.0.0.1:3000\n  - service: http_status:404\n',
    '/t/nginx/nginx.conf': 'events {}\nhttp {\n    upstream api { server 127.0.0.1:3000; }\n    server { listen 80; location / { proxy_pass http://api; } }\n}\n',
  }, {}, { rules: [noListener] });
  assert.deepEqual(findings, []);
});

test('service-no-listener: with more listens than a finding lists, it names ten and counts the rest', () => {
  const servers = Array.from({ length: 12 }, (_, i) => `server {\n    listen ${8001 + i};\n}\n`).join('');
  const files: Record<string, string> = { ...service('http://localhost:9000'), '/etc/nginx/sites-enabled/many.conf': servers };
  const [finding] = analyze(files, {}, { rules });
  assert.match(finding.message, /nginx listens on 8001, 8002, .*, 8010 and 3 more\.$/);
  assert.equal(finding.related?.length, 10);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), Array.from({ length: 10 }, (_, i) => `Send to http://localhost:${8001 + i}`));
});
