import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { test, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { probeOrigin } from '../../../server/src/probe/probe';
import type { ProbeOptions, ProbeResult } from '../../../server/src/probe/types';
import { fullBacklogListener, listen, rawServer, refusedPort, silentServer } from './servers';

/** Short steps keep each test under a second; the verdict does not depend on the length. */
const TIMEOUT_MS = 400;

function probe(port: number, options: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  return probeOrigin({ url: `http://127.0.0.1:${port}/`, timeoutMs: TIMEOUT_MS, ...options });
}

function httpServer(t: TestContext, handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<number> {
  return listen(t, createServer(handler));
}

const ids = (result: ProbeResult) => result.verdicts.map((v) => v.id);

test('ok: HEAD then a GET whose gzip body decodes to its announced length', async (t) => {
  const page = gzipSync('<h1>shop</h1>');
  const port = await httpServer(t, (request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip', 'Content-Length': page.length });
    response.end(request.method === 'HEAD' ? undefined : page);
  });
  const result = await probe(port);
  assert.deepEqual(ids(result), ['ok']);
  assert.deepEqual(result.exchanges.map((e) => `${e.method} ${e.httpVersion} ${e.status}`), ['HEAD 1.1 200', 'GET 1.1 200']);
  const body = result.exchanges[1].body!;
  assert.deepEqual([body.received, body.declaredLength, body.end, body.decoded], [page.length, page.length, 'complete', { ok: true, bytes: 13, capped: false, compressedAgain: false }]);
  assert.equal(body.text, '<h1>shop</h1>');
  assert.match(result.verdicts[0].finding, /^The origin answered 200 in .*gzip → 13 B/);
  for (const exchange of result.exchanges) assert.ok(exchange.timings.connect! >= 0 && exchange.timings.firstByte! >= 0 && exchange.timings.body! >= 0);
});

test('the GET reads at most maxBodyBytes and says so; no mismatch is claimed for the unread rest', async (t) => {
  const port = await httpServer(t, (_request, response) => {
    response.writeHead(200, { 'Content-Length': 300_000 });
    response.end(Buffer.alloc(300_000, 97));
  });
  const result = await probe(port, { maxBodyBytes: 65_536 });
  assert.deepEqual(ids(result), ['ok']);
  assert.deepEqual([result.exchanges[1].body!.received, result.exchanges[1].body!.end], [65_536, 'limit']);
});

test('--head-only: only the HEAD, as curl -I', async (t) => {
  const port = await httpServer(t, (_request, response) => response.end('hi'));
  const result = await probe(port, { headOnly: true });
  assert.deepEqual(result.exchanges.map((e) => e.method), ['HEAD']);
  assert.equal(result.exchanges[0].body, undefined);
  assert.deepEqual(ids(result), ['ok']);
});

test('origin-refused: nothing listens on the port (web server down)', async () => {
  const result = await probe(await refusedPort());
  assert.deepEqual(ids(result), ['origin-refused']);
  assert.equal(result.exchanges.length, 1);
  assert.deepEqual([result.exchanges[0].failure!.phase, result.exchanges[0].failure!.code], ['connect', 'ECONNREFUSED']);
  assert.match(result.verdicts[0].nextStep, /systemctl restart nginx/);
});

test('connect-timeout: a listener with a full accept queue drops the SYN, so TCP gets no answer', async (t) => {
  const port = await fullBacklogListener(t);
  const started = Date.now();
  const result = await probe(port);
  assert.deepEqual(ids(result), ['connect-timeout']);
  assert.deepEqual([result.exchanges[0].failure!.phase, result.exchanges[0].failure!.reason], ['connect', 'timeout']);
  assert.ok(Date.now() - started < TIMEOUT_MS * 3, 'the connect step is bounded by the timeout');
  assert.match(result.verdicts[0].finding, /^No TCP answer from 127\.0\.0\.1:\d+ in 400 ms: a firewall drops/);
});

test('response-timeout: connected, but the server never sends a byte', async (t) => {
  const result = await probe(await silentServer(t));
  assert.deepEqual(ids(result), ['response-timeout']);
  assert.deepEqual([result.exchanges[0].failure!.phase, result.exchanges[0].failure!.reason], ['first-byte', 'timeout']);
  assert.ok(result.exchanges[0].timings.connect !== undefined);
});

test('response-timeout: the body stalls after the headers', async (t) => {
  const port = await httpServer(t, (request, response) => {
    response.writeHead(200, { 'Content-Length': 10 });
    if (request.method === 'GET') response.write('12345');
    else response.end();
  });
  const result = await probe(port);
  assert.deepEqual(ids(result), ['response-timeout']);
  assert.equal(result.exchanges[1].failure!.phase, 'body');
  assert.match(result.verdicts[0].finding, /body stalled after 5 B/);
});

test('no-http-reply: the server closes the connection without answering (Cloudflare 520)', async (t) => {
  const port = await listen(t, createTcpServer((socket) => socket.destroy()));
  const result = await probe(port);
  assert.deepEqual(ids(result), ['no-http-reply']);
  assert.match(result.verdicts[0].finding, /520/);
});

test('no-http-reply: something else than HTTP answers on the port', async (t) => {
  const result = await probe(await rawServer(t, () => 'SSH-2.0-OpenSSH_9.6\r\n'));
  assert.deepEqual(ids(result), ['no-http-reply']);
  assert.deepEqual([result.exchanges[0].failure!.phase, result.exchanges[0].failure!.reason], ['first-byte', 'not-http']);
  assert.match(result.verdicts[0].finding, /answered something that is not HTTP/);
  assert.match(result.verdicts[0].nextStep, /probe https:\/\//);
});

test('origin-5xx: a 502 from the origin itself points at its upstream (PHP-FPM, the app)', async (t) => {
  const port = await httpServer(t, (_request, response) => {
    response.writeHead(502, { Server: 'nginx/1.22.1' });
    response.end('<html><body><center><h1>502 Bad Gateway</h1></center></body></html>');
  });
  const result = await probe(port);
  assert.deepEqual(ids(result), ['origin-5xx']);
  assert.match(result.verdicts[0].finding, /^The origin itself answered 502 \(server: nginx\/1\.22\.1\), not Cloudflare/);
  assert.match(result.verdicts[0].nextStep, /PHP-FPM/);
});

test('origin-4xx: a 404 means no server block for this Host', async (t) => {
  const port = await httpServer(t, (_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  assert.deepEqual(ids(await probe(port)), ['origin-4xx']);
});

const CLOUDFLARE_HEADERS = { Server: 'cloudflare', 'CF-RAY': '8f1e2d3c4b5a6978-AMS', 'Content-Type': 'text/html' };

test('cloudflare-error: a branded 502 page through Cloudflare means the origin sent the error', async (t) => {
  const port = await httpServer(t, (_request, response) => {
    response.writeHead(502, CLOUDFLARE_HEADERS);
    response.end('<div id="cf-wrapper"><div id="cf-error-details">Bad gateway</div> Cloudflare Ray ID: 8f1e2d3c4b5a6978</div>');
  });
  const result = await probe(port);
  assert.deepEqual(ids(result), ['cloudflare-error']);
  assert.match(result.verdicts[0].finding, /cf-ray 8f1e2d3c4b5a6978-AMS, server: cloudflare.*branded error page, which means the origin sent the 502/);
  assert.match(result.verdicts[0].nextStep, /--connect-to IP/);
});

test('cloudflare-error: a plain 502 page through Cloudflare means Cloudflare\'s own side', async (t) => {
  const port = await httpServer(t, (_request, response) => {
    response.writeHead(502, CLOUDFLARE_HEADERS);
    response.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>');
  });
  const result = await probe(port);
  assert.deepEqual(ids(result), ['cloudflare-error']);
  assert.match(result.verdicts[0].finding, /without Cloudflare's branding, which means the error is on Cloudflare's side/);
  assert.match(result.verdicts[0].nextStep, /cloudflarestatus\.com.*Ray ID 8f1e2d3c4b5a6978-AMS/);
});

test('cloudflare-error: 52x codes are read as Cloudflare documents them', async (t) => {
  const port = await httpServer(t, (_request, response) => {
    response.writeHead(521, CLOUDFLARE_HEADERS);
    response.end();
  });
  const result = await probe(port);
  assert.deepEqual(ids(result), ['cloudflare-error']);
  assert.match(result.verdicts[0].finding, /521, the origin refused the connection \(web server down\)/);
});

test('ok through Cloudflare says it saw the edge, not the origin', async (t) => {
  const port = await httpServer(t, (_request, response) => {
    response.writeHead(200, CLOUDFLARE_HEADERS);
    response.end('fine');
  });
  const result = await probe(port);
  assert.deepEqual(ids(result), ['ok']);
  assert.match(result.verdicts[0].finding, /this is Cloudflare's edge, not the origin/);
});

test('content-length-mismatch: the body is shorter than its Content-Length', async (t) => {
  const port = await rawServer(t, (request) => request.startsWith('HEAD')
    ? 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'
    : `HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'x'.repeat(50)}`);
  const result = await probe(port);
  assert.deepEqual(ids(result), ['content-length-mismatch']);
  assert.match(result.verdicts[0].finding, /^The body ended after 50 of the 100 bytes its Content-Length announced/);
});

test('content-length-mismatch: a chunked body cut before its last chunk', async (t) => {
  const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
  const port = await rawServer(t, (request) => (request.startsWith('HEAD') ? head : `${head}5\r\nhello\r\n`));
  const result = await probe(port);
  assert.deepEqual(ids(result), ['content-length-mismatch']);
  assert.match(result.verdicts[0].finding, /chunked body ended after 5 bytes/);
});

test('broken-gzip: Content-Encoding gzip on bytes that are not gzip', async (t) => {
  const port = await httpServer(t, (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
    response.end('<html>plain text labelled as gzip</html>');
  });
  const result = await probe(port);
  assert.deepEqual(ids(result), ['broken-gzip']);
  assert.match(result.verdicts[0].finding, /does not decode \(gzip: incorrect header check\)/);
});

test('broken-gzip: gzip bytes with a broken middle (corrupted in transit or by a filter)', async (t) => {
  const page = gzipSync('x'.repeat(5000) + Math.random());
  page.fill(0x41, 20, 40);
  const port = await httpServer(t, (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
    response.end(page);
  });
  assert.deepEqual(ids(await probe(port)), ['broken-gzip']);
});

test('broken-gzip: compressed twice (PHP zlib.output_compression and nginx gzip), and gzip without Content-Encoding', async (t) => {
  const twice = await httpServer(t, (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
    response.end(gzipSync(gzipSync('<html></html>')));
  });
  const twiceResult = await probe(twice);
  assert.deepEqual(ids(twiceResult), ['broken-gzip']);
  assert.match(twiceResult.verdicts[0].finding, /compressed twice/);
  const undeclared = await httpServer(t, (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(gzipSync('<html></html>'));
  });
  const undeclaredResult = await probe(undeclared);
  assert.deepEqual(ids(undeclaredResult), ['broken-gzip']);
  assert.match(undeclaredResult.verdicts[0].finding, /no Content-Encoding says so/);
});

test('slow: a first byte later than the threshold', async (t) => {
  const port = await httpServer(t, (_request, response) => setTimeout(() => response.end('late'), 250));
  const result = await probe(port, { slowThresholdMs: 100 });
  assert.deepEqual(ids(result), ['slow']);
  assert.match(result.verdicts[0].finding, /took 2\d\d ms \(threshold 100 ms\)/);
});

test('several problems at once are all listed, and none is ok', async (t) => {
  const port = await httpServer(t, (_request, response) => setTimeout(() => {
    response.writeHead(503, { 'Content-Encoding': 'gzip' });
    response.end('nope');
  }, 150));
  assert.deepEqual(ids(await probe(port, { slowThresholdMs: 100 })), ['origin-5xx', 'broken-gzip', 'slow']);
});

test('cancelling stops the probe at once and rejects with the abort reason', async (t) => {
  const port = await silentServer(t);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  await assert.rejects(probeOrigin({ url: `http://127.0.0.1:${port}/`, timeoutMs: 5000, signal: controller.signal }), { name: 'AbortError' });
  assert.ok(Date.now() - started < 1000);
});
