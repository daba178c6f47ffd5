import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpBackend, type Handler } from './http-backend';
import { NGINX_CONF, visitors, writeNginxOrigin } from './origins';
import { probeOrigin } from '../../server/src/probe/probe';
import { runScenario, withBadOrigin, type Scenario } from './scenario';

const PAGE = 'hello from the origin\n'.repeat(300);

const pageBackend: Handler = (_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(PAGE) });
  response.end(PAGE);
};

/**
 * The origin answers gzip, chunked, with the fixed plain length beside it. Visitors ask for gzip over
 * HTTP/1.1 as Cloudflare's edge does, with Node's HTTP parser, which refuses a length next to chunked
 * framing just as the edge does (Cloudflare then answers 502). nginx 1.22 as an edge relays such a
 * response, so no local proxy stands in for Cloudflare.
 */
const gzipWithFixedLength: Scenario<'origin' | 'backend'> = {
  title: 'gzip on + add_header Content-Length (strict client)',
  rule: 'nginx/gzip-content-length',
  ports: ['origin', 'backend'],
  setUp: (site) => ({
    services: [
      new HttpBackend('backend', '127.0.0.1', site.ports.backend, pageBackend),
      writeNginxOrigin(site, `    server {
        listen 127.0.0.1:${site.ports.origin};
        gzip on;
        gzip_types text/plain;
        location / {
            add_header Content-Length ${Buffer.byteLength(PAGE)};
            proxy_pass http://127.0.0.1:${site.ports.backend};
        }
    }`),
    ],
    traffic: visitors(`http://127.0.0.1:${site.ports.origin}/`, { headers: { 'Accept-Encoding': 'gzip' } }),
  }),
  finding: { file: NGINX_CONF, line: 'add_header Content-Length' },
  // nginx itself sees nothing wrong: its error log stays empty.
  failure: { outcome: 'HPE_INVALID_CONTENT_LENGTH', logs: [] },
};

test('gzip on with add_header Content-Length: the compressed page goes out with the plain length', (t) =>
  runScenario(t, gzipWithFixedLength));

test('the probe calls the same origin content-length-mismatch', async (t) => {
  await withBadOrigin(t, gzipWithFixedLength, async (site) => {
    const { verdicts } = await probeOrigin({ url: `http://127.0.0.1:${site.ports.origin}/`, timeoutMs: 5_000 });
    const said = verdicts.map((v) => `${v.id}: ${v.finding}`).join('\n');
    assert.ok(verdicts.some((v) => v.id === 'content-length-mismatch'), `the probe should say content-length-mismatch; it said:\n${said}`);
  });
});
