import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { createSecureServer, type Http2ServerRequest } from 'node:http2';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { probeOrigin } from '../../../server/src/probe/probe';
import { listen } from './servers';

/**
 * What the probe sends: no credential it was not given (it is given none: no Authorization, no Cookie, not even
 * from a URL's user:password@), and nothing over TLS before the certificate checks out, unless `insecure` says
 * so (`--insecure` on the command line, nothing else).
 */

// A self-signed certificate for localhost and 127.0.0.1, valid 2020–2120, made for these tests only.
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBZjCCAQ2gAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv
c3QwIBcNMjAwMTAxMDAwMDAwWhgPMjEyMDAxMDEwMDAwMDBaMBQxEjAQBgNVBAMM
CWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABITaBwaynHtKC+h7
sCeOSh1mzowOk2khAOls/EROdiRYhzsJwpwMMirByE6XL387p3l07pWYiUqV9bBN
KIfiY1ajTjBMMA8GA1UdEwEB/wQFMAMBAf8wGgYDVR0RBBMwEYIJbG9jYWxob3N0
hwR/AAABMB0GA1UdDgQWBBQxzwANJrGSKfwZdrxencuqDcdRFzAKBggqhkjOPQQD
AgNHADBEAiBQgAQdZdfmo2HIeRn63N2vo0SpIIm/0YLRPJ6iiAl7JwIgGh3sa6WK
ZsrjQ+igq7uZK/y2G3AcauObqJ5LAKnle7M=
-----END CERTIFICATE-----
`;
const PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMLhKS2imKs+Cy15D
HwEB2XYpoyC2CdL6o1S9ooOPrq2hRANCAASE2gcGspx7Sgvoe7AnjkodZs6MDpNp
IQDpbPxETnYkWIc7CcKcDDIqwchOly9/O6d5dO6VmIlKlfWwTSiH4mNW
-----END PRIVATE KEY-----
`;

/** One request as the origin saw it: `HTTP-version METHOD path`, then its headers (HTTP/2 pseudo-headers left out). */
interface Seen {
  request: string;
  headers: Array<[string, string]>;
}

function record(seen: Seen[], request: IncomingMessage | Http2ServerRequest): void {
  const headers: Array<[string, string]> = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    if (!request.rawHeaders[i].startsWith(':')) headers.push([request.rawHeaders[i].toLowerCase(), request.rawHeaders[i + 1]]);
  }
  seen.push({ request: `${request.httpVersion} ${request.method} ${request.url}`, headers });
}

/** An HTTP/1.1 origin on 127.0.0.1 that records each request. */
async function plainOrigin(t: TestContext): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const port = await listen(t, createServer((request, response) => {
    record(seen, request);
    response.end('ok');
  }));
  return { port, seen };
}

/** A TLS origin with the self-signed certificate, offering h2 and http/1.1, that records each request. */
async function tlsOrigin(t: TestContext): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createSecureServer({ key: PRIVATE_KEY, cert: CERTIFICATE, allowHTTP1: true }, (request, response) => {
    record(seen, request);
    response.end('ok');
  });
  return { port: await listen(t, server), seen };
}

const names = (seen: Seen[]) => seen.map((s) => [s.request, s.headers.map(([name]) => name)]);

test('HTTP/1.1: the HEAD and the GET carry Host, Connection, User-Agent, Accept (and Accept-Encoding), no credential from the URL', async (t) => {
  const { port, seen } = await plainOrigin(t);
  const result = await probeOrigin({ url: `http://probe-user:secret@127.0.0.1:${port}/shop?id=1`, timeoutMs: 2000 });
  // Nor is it shown: the report names the URL without it.
  assert.equal(result.url, `http://127.0.0.1:${port}/shop?id=1`);
  assert.deepEqual(seen, [
    { request: '1.1 HEAD /shop?id=1', headers: [['host', `127.0.0.1:${port}`], ['connection', 'close'], ['user-agent', 'origin-doctor-probe'], ['accept', '*/*']] },
    {
      request: '1.1 GET /shop?id=1',
      headers: [['host', `127.0.0.1:${port}`], ['connection', 'close'], ['user-agent', 'origin-doctor-probe'], ['accept', '*/*'], ['accept-encoding', 'gzip, br']],
    },
  ]);
});

test('TLS: a certificate that does not check out stops the probe before any request; the failure says why', async (t) => {
  const { port, seen } = await tlsOrigin(t);
  const selfSigned = await probeOrigin({ url: `https://localhost:${port}/`, connectTo: `127.0.0.1:${port}`, timeoutMs: 2000 });
  // Trusted now, but named for another host.
  const wrongName = await probeOrigin({ url: `https://shop.example.test:${port}/`, connectTo: `127.0.0.1:${port}`, ca: [CERTIFICATE], timeoutMs: 2000 });
  assert.deepEqual(seen, []);
  assert.deepEqual([selfSigned, wrongName].map((r) => [r.tls?.problem?.kind, r.verdicts.map((v) => v.id), r.exchanges.map((e) => e.failure?.phase)]), [
    ['self-signed', ['tls-failure'], ['tls']],
    ['wrong-name', ['tls-failure'], ['tls']],
  ]);
});

test('TLS: insecure goes past the certificate, still reporting it; so does trusting its CA; the requests carry no credential', async (t) => {
  const { port, seen } = await tlsOrigin(t);
  const insecure = await probeOrigin({ url: `https://probe-user:secret@localhost:${port}/`, connectTo: `127.0.0.1:${port}`, insecure: true, timeoutMs: 2000 });
  assert.equal(insecure.tls?.problem?.kind, 'self-signed');
  const trusted = await probeOrigin({ url: `https://localhost:${port}/`, connectTo: `127.0.0.1:${port}`, ca: [CERTIFICATE], timeoutMs: 2000 });
  assert.equal(trusted.tls?.problem, undefined);
  const oneProbe = [
    ['1.1 HEAD /', ['host', 'connection', 'user-agent', 'accept']],
    ['1.1 GET /', ['host', 'connection', 'user-agent', 'accept', 'accept-encoding']],
    ['2.0 GET /', ['user-agent', 'accept', 'accept-encoding']],
  ];
  assert.deepEqual(names(seen), [...oneProbe, ...oneProbe]);
});

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout) => resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout }));
  });
}

test('the CLI verifies certificates unless --insecure is given', async (t) => {
  const { port, seen } = await tlsOrigin(t);
  const args = ['probe', `https://localhost:${port}/`, '--connect-to', `127.0.0.1:${port}`, '--head-only', '--timeout', '2'];
  const verified = await cli(args);
  assert.deepEqual([verified.code, verified.stdout.split(':')[0], seen.length], [1, 'tls-failure', 0]);
  const insecure = await cli([...args, '--insecure']);
  assert.equal(insecure.code, 0);
  assert.deepEqual(names(seen), [['1.1 HEAD /', ['host', 'connection', 'user-agent', 'accept']], ['2.0 HEAD /', ['user-agent', 'accept']]]);
});
