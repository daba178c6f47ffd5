import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { MAX_HEADER_BYTES } from '../../../server/src/probe/http1';
import { probeOrigin } from '../../../server/src/probe/probe';
import type { Exchange, ProbeOptions, ProbeResult } from '../../../server/src/probe/types';
import { endlessBody, hostileServer, trickle, TRICKLE_INTERVAL_MS, type HostileServer } from './hostile-servers';

/**
 * The probe against servers that never finish, send too much, or stall mid-handshake: it must end within its
 * step timeout, name what happened in its verdict, read no more than its limits allow, and close every
 * connection it opened.
 */

const TIMEOUT_MS = 400;
/** Room for timers that fire late on a loaded two-core machine; well below a second step's wait. */
const MARGIN_MS = 300;
const MAX_BODY_BYTES = 64 * 1024;
/**
 * How far past a limit the probe may read. It checks its limits on each chunk Node hands over, libuv reads a
 * socket in chunks of at most 64 KiB, and the probe destroys the socket from within the callback of the chunk
 * that crosses a limit, so no further read happens. Bytes the server wrote beyond that stay in the kernel's
 * buffers and are thrown away unread when the socket closes.
 */
const ONE_READ_BYTES = 64 * 1024;

const HEAD_200 = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n';

/** Probes `server` with the short timeout, and checks that it ended in time and closed every connection it opened. */
async function probe(server: HostileServer, options: Partial<ProbeOptions> = {}, scheme = 'http'): Promise<ProbeResult> {
  const started = performance.now();
  const result = await probeOrigin({ url: `${scheme}://127.0.0.1:${server.port}/`, timeoutMs: TIMEOUT_MS, maxBodyBytes: MAX_BODY_BYTES, ...options });
  const elapsedMs = performance.now() - started;
  assert.ok(elapsedMs < TIMEOUT_MS + MARGIN_MS, `the probe took ${Math.round(elapsedMs)} ms, more than its ${TIMEOUT_MS} ms step and ${MARGIN_MS} ms of margin`);
  await server.allClosed(MARGIN_MS);
  return result;
}

const ids = (result: ProbeResult) => result.verdicts.map((v) => v.id);
const shape = (result: ProbeResult) => result.exchanges.map((e) => `${e.method} ${e.status ?? e.failure?.reason}`);

function assertReadAtMost(exchange: Exchange, limit: number): void {
  assert.ok(exchange.bytesRead! <= limit + ONE_READ_BYTES, `${exchange.method} read ${exchange.bytesRead} bytes, past its limit of ${limit} and one read`);
}

test('an endless body: the GET reads its maxBodyBytes and stops, and says it read up to the limit', async (t) => {
  const server = await hostileServer(t, (socket, request) => (request.startsWith('HEAD') ? socket.end(HEAD_200) : endlessBody(socket, HEAD_200)));
  const result = await probe(server);
  assert.deepEqual(ids(result), ['ok']);
  assert.deepEqual(shape(result), ['HEAD 200', 'GET 200']);
  const get = result.exchanges[1];
  assert.deepEqual([get.body!.received, get.body!.end], [MAX_BODY_BYTES, 'limit']);
  assert.match(result.verdicts[0].finding, /; body 64\.0 KiB \(read up to the limit\)\.$/);
  assertReadAtMost(get, HEAD_200.length + MAX_BODY_BYTES);
});

test('an endless body to HEAD: content-length-mismatch, the parser stops at the first byte after the headers', async (t) => {
  const server = await hostileServer(t, (socket) => endlessBody(socket, HEAD_200));
  const result = await probe(server, { headOnly: true });
  assert.deepEqual(ids(result), ['content-length-mismatch']);
  assert.deepEqual(shape(result), ['HEAD 200']);
  assert.match(result.verdicts[0].finding, /^The origin answered HEAD with a body: bytes came after its headers, where a HEAD response ends\. On a connection kept alive/);
  assert.match(result.exchanges[0].bytesAfterEnd!, /Expected HTTP\//);
  assertReadAtMost(result.exchanges[0], HEAD_200.length);
});

test('an endless header line: headers-too-large at 16 KiB (HPE_HEADER_OVERFLOW), and no GET after it', async (t) => {
  const server = await hostileServer(t, (socket) => endlessBody(socket, 'HTTP/1.1 200 OK\r\nX-Endless: '));
  const result = await probe(server);
  assert.deepEqual(ids(result), ['headers-too-large']);
  assert.deepEqual(shape(result), ['HEAD headers-too-large']);
  assert.equal(result.exchanges[0].failure!.code, 'HPE_HEADER_OVERFLOW');
  assert.match(result.verdicts[0].finding, /^127\.0\.0\.1:\d+ answered with a status line and headers that went on past 16\.0 KiB without ending, where the probe stopped reading \(HPE_HEADER_OVERFLOW/);
  assert.match(result.verdicts[0].nextStep, /Set-Cookie/);
  assertReadAtMost(result.exchanges[0], MAX_HEADER_BYTES);
});

test('10,000 headers: headers-too-large, read no further than the header limit', async (t) => {
  const headers = Array.from({ length: 10_000 }, (_, i) => `X-Header-${String(i).padStart(5, '0')}: value\r\n`).join('');
  const server = await hostileServer(t, (socket) => socket.end(`HTTP/1.1 200 OK\r\n${headers}Content-Length: 0\r\n\r\n`));
  const result = await probe(server);
  assert.deepEqual(ids(result), ['headers-too-large']);
  assert.deepEqual(shape(result), ['HEAD headers-too-large']);
  assert.match(result.verdicts[0].finding, /headers that went on past 16\.0 KiB without ending/);
  assert.equal(server.requests.length, 1);
  assertReadAtMost(result.exchanges[0], MAX_HEADER_BYTES);
});

test('a redirect loop: the probe reports the redirect and does not follow it', async (t) => {
  const answer = (port: number) => `HTTP/1.1 301 Moved Permanently\r\nLocation: http://127.0.0.1:${port}/\r\nContent-Length: 0\r\n\r\n`;
  const server = await hostileServer(t, (socket) => socket.end(answer(socket.localPort!)));
  const result = await probe(server);
  assert.deepEqual(ids(result), ['ok']);
  assert.deepEqual(shape(result), ['HEAD 301', 'GET 301']);
  assert.match(result.verdicts[0].finding, new RegExp(`^The origin answered 301 → http://127\\.0\\.0\\.1:${server.port}/ in `));
  assert.deepEqual(server.requests.map((r) => r.split('\r\n')[0]), ['HEAD / HTTP/1.1', 'GET / HTTP/1.1']);
  assert.deepEqual(result.exchanges.map((e) => e.bytesRead), [answer(server.port).length, answer(server.port).length]);
});

test('TLS stalled after the ClientHello: response-timeout, the handshake got no answer', async (t) => {
  const server = await hostileServer(t, () => undefined);
  const result = await probe(server, {}, 'https');
  assert.deepEqual(ids(result), ['response-timeout']);
  assert.deepEqual(shape(result), ['HEAD timeout']);
  assert.equal(result.exchanges[0].failure!.phase, 'tls');
  // A TLS handshake record (type 0x16, version 3.x) holding a ClientHello (type 1): the server read it, and kept quiet.
  const hello = Buffer.from(server.requests[0], 'latin1');
  assert.deepEqual([hello[0], hello[1], hello[5]], [0x16, 0x03, 0x01]);
  assert.match(result.verdicts[0].finding, /^Connected to 127\.0\.0\.1:\d+, but the TLS handshake got no answer in 400 ms/);
  assert.equal(result.exchanges[0].bytesRead, 0);
});

/** A TLS 1.2 record announcing 122 bytes of handshake, and the ServerHello's first 16 of them: type, length, version, 10 random bytes. */
const PARTIAL_SERVER_HELLO = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00, 0x76, 0x03, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

test('TLS with a partial ServerHello: response-timeout, the handshake began and did not finish', async (t) => {
  const server = await hostileServer(t, (socket) => socket.write(PARTIAL_SERVER_HELLO));
  const result = await probe(server, {}, 'https');
  assert.deepEqual(ids(result), ['response-timeout']);
  assert.deepEqual(shape(result), ['HEAD timeout']);
  assert.match(result.verdicts[0].finding, /^Connected to 127\.0\.0\.1:\d+; the server began the TLS handshake \(21 B of its answer came\) but did not finish it in 400 ms/);
  assert.match(result.verdicts[0].nextStep, /MTU/);
  assert.equal(result.exchanges[0].bytesRead, PARTIAL_SERVER_HELLO.length);
});

test('a server that accepts and never answers: response-timeout, no response came', async (t) => {
  const server = await hostileServer(t, () => undefined);
  const result = await probe(server);
  assert.deepEqual(ids(result), ['response-timeout']);
  assert.deepEqual(shape(result), ['HEAD timeout']);
  assert.match(result.verdicts[0].finding, /^Connected to 127\.0\.0\.1:\d+, but no response came in 400 ms/);
  assert.equal(result.exchanges[0].bytesRead, 0);
});

test('a status line cut off mid-way: response-timeout, the response began and stopped', async (t) => {
  const server = await hostileServer(t, (socket) => socket.write('HTTP/1.1 2'));
  const result = await probe(server);
  assert.deepEqual(ids(result), ['response-timeout']);
  assert.match(result.verdicts[0].finding, /^Connected to 127\.0\.0\.1:\d+; the response began \(10 B\) but stopped before the end of its headers, and nothing more came in 400 ms/);
  assert.equal(result.exchanges[0].bytesRead, 10);
});

/** A byte every TRICKLE_INTERVAL_MS from the first one on: what a trickle can bring in one step's wait. */
const TRICKLE_MAX_BYTES = 1 + Math.ceil((TIMEOUT_MS + MARGIN_MS) / TRICKLE_INTERVAL_MS);

test('headers that trickle a byte per 100 ms forever: response-timeout after one wait, however long they go on', async (t) => {
  const server = await hostileServer(t, (socket) => trickle(socket, 'HTTP/1.1 200 OK\r\nX-Slow: '));
  const result = await probe(server);
  assert.deepEqual(ids(result), ['response-timeout']);
  assert.deepEqual(shape(result), ['HEAD trickle']);
  const read = result.exchanges[0].bytesRead!;
  assert.ok(read >= 2 && read <= TRICKLE_MAX_BYTES, `read ${read} bytes`);
  assert.match(result.verdicts[0].finding, new RegExp(`^Connected to 127\\.0\\.0\\.1:\\d+; the response's status line and headers were still arriving after 400 ms, a few bytes at a time \\(${read} B in all\\)`));
});

test('a body that trickles a byte per 100 ms forever: response-timeout, still arriving when the wait ended', async (t) => {
  const server = await hostileServer(t, (socket, request) => {
    socket.write(HEAD_200);
    if (request.startsWith('HEAD')) socket.end();
    else trickle(socket, '');
  });
  const result = await probe(server);
  assert.deepEqual(ids(result), ['response-timeout']);
  assert.deepEqual(shape(result), ['HEAD 200', 'GET 200']);
  const get = result.exchanges[1];
  assert.deepEqual([get.failure!.phase, get.failure!.reason], ['body', 'trickle']);
  assert.ok(get.body!.received >= 2 && get.body!.received <= TRICKLE_MAX_BYTES, `read ${get.body!.received} bytes of body`);
  assert.equal(get.bytesRead, HEAD_200.length + get.body!.received);
  assert.match(result.verdicts[0].finding, new RegExp(`^The GET response started, then its body was still arriving after 400 ms, a few bytes at a time \\(${get.body!.received} B in all\\)`));
});
