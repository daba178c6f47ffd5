import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createSecureServer, constants as http2, type ServerHttp2Stream } from 'node:http2';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { probeOrigin } from '../../server/src/probe/probe';
import type { ProbeOptions, ProbeResult } from '../../server/src/probe/types';
import { listen } from '../unit/probe/servers';

// TLS cases against local servers whose certificates openssl makes here: a CA, and certificates for
// example.test (good, expired, self-signed) and other.test. Every probe uses connect-to 127.0.0.1, so
// example.test is never looked up.

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const SITE = 'https://example.test/';
let dir: string;
let ca: string;
let pem: Record<'good' | 'expired' | 'selfSigned' | 'otherName', { key: string; cert: string }>;

function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.error) throw new Error(`openssl is not installed; the TLS probe tests need it to make certificates (apt-get install openssl): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
}

/** A key and a certificate for `name`, signed by the test CA; `days` -1 gives one that has expired. */
function signed(file: string, name: string, days: number): { key: string; cert: string } {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${file}.key`, '-out', `${file}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(join(dir, `${file}.ext`), `subjectAltName=DNS:${name}\n`);
  openssl(['x509', '-req', '-in', `${file}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', String(days), '-extfile', `${file}.ext`, '-out', `${file}.pem`]);
  return { key: readFileSync(join(dir, `${file}.key`), 'utf8'), cert: readFileSync(join(dir, `${file}.pem`), 'utf8') };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'origin-doctor-probe-tls-'));
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Origin Doctor Test CA']);
  ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=example.test', '-addext', 'subjectAltName=DNS:example.test']);
  pem = {
    good: signed('good', 'example.test', 2),
    expired: signed('expired', 'example.test', -1),
    otherName: signed('other', 'other.test', 2),
    selfSigned: { key: readFileSync(join(dir, 'self.key'), 'utf8'), cert: readFileSync(join(dir, 'self.pem'), 'utf8') },
  };
});

after(() => rmSync(dir, { recursive: true, force: true }));

function httpsServer(t: TestContext, options: ServerOptions): Promise<number> {
  return listen(t, createHttpsServer(options, (_request, response) => response.end('secure')));
}

function probe(port: number, options: Partial<ProbeOptions> = {}): Promise<ProbeResult> {
  return probeOrigin({ url: SITE, connectTo: `127.0.0.1:${port}`, timeoutMs: 800, ...options });
}

const ids = (result: ProbeResult) => result.verdicts.map((v) => v.id);

test('tls-failure: a self-signed certificate, described, and no request sent over it', async (t) => {
  const result = await probe(await httpsServer(t, pem.selfSigned));
  assert.deepEqual(ids(result), ['tls-failure']);
  assert.deepEqual(result.tls!.problem, { kind: 'self-signed', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  assert.deepEqual([result.tls!.certificate!.subject, result.tls!.certificate!.selfSigned, result.tls!.certificate!.names], ['CN=example.test', true, ['example.test']]);
  assert.equal(result.exchanges[0].status, undefined);
  assert.match(result.verdicts[0].finding, /self-signed \(CN=example\.test\)/);
});

test('tls-failure: an expired certificate names its end date', async (t) => {
  const result = await probe(await httpsServer(t, pem.expired), { ca: [ca] });
  assert.deepEqual(ids(result), ['tls-failure']);
  assert.equal(result.tls!.problem!.kind, 'expired');
  assert.ok(Date.parse(result.tls!.certificate!.validTo) < Date.now());
  assert.match(result.verdicts[0].finding, new RegExp(`expired on ${result.tls!.certificate!.validTo}`));
});

test('tls-failure: a certificate for another name', async (t) => {
  const result = await probe(await httpsServer(t, pem.otherName), { ca: [ca] });
  assert.deepEqual(ids(result), ['tls-failure']);
  assert.deepEqual([result.tls!.problem!.kind, result.tls!.problem!.code], ['wrong-name', 'ERR_TLS_CERT_ALTNAME_INVALID']);
  assert.match(result.verdicts[0].finding, /^The certificate is for other\.test, not example\.test/);
});

test('tls-failure: no shared protocol with an origin that speaks only TLS 1.0', async (t) => {
  const port = await httpsServer(t, { ...pem.good, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
  const result = await probe(port, { ca: [ca] });
  assert.deepEqual(ids(result), ['tls-failure']);
  assert.equal(result.tls!.problem!.kind, 'no-shared-protocol');
  assert.match(result.verdicts[0].nextStep, /ssl_protocols TLSv1\.2 TLSv1\.3/);
});

test('tls-failure: plain HTTP on the port probed as https', async (t) => {
  const port = await listen(t, createHttpServer((_request, response) => response.end('plain')));
  const result = await probe(port);
  assert.deepEqual(ids(result), ['tls-failure']);
  assert.equal(result.tls!.problem!.kind, 'not-tls');
});

test('--insecure goes past the certificate and still reports its problem', async (t) => {
  const result = await probe(await httpsServer(t, pem.selfSigned), { insecure: true });
  assert.deepEqual(ids(result), ['ok']);
  assert.equal(result.tls!.problem!.kind, 'self-signed');
  assert.equal(result.exchanges[1].status, 200);
  assert.match(result.verdicts[0].finding, /Its certificate was not checked \(--insecure\): self-signed\.$/);
});

/** An HTTP/2 server that also speaks HTTP/1.1; `onHttp2` answers or breaks the HTTP/2 requests. */
function http2Server(t: TestContext, onHttp2: (stream: ServerHttp2Stream) => void): Promise<number> {
  return listen(t, createSecureServer({ ...pem.good, allowHTTP1: true }, (request, response) => {
    if (request.httpVersion === '2.0') onHttp2(request.stream);
    else response.end('one point one');
  }));
}

test('HTTP/2 offered and working: the same answer on both protocols, ALPN h2', async (t) => {
  const port = await http2Server(t, (stream) => {
    stream.respond({ ':status': 200 });
    stream.end('two');
  });
  const result = await probe(port, { ca: [ca] });
  assert.deepEqual(ids(result), ['ok']);
  assert.equal(result.tls!.alpn, 'h2');
  assert.deepEqual(result.exchanges.map((e) => `${e.method} ${e.httpVersion} ${e.status}`), ['HEAD 1.1 200', 'GET 1.1 200', 'GET 2 200']);
  assert.equal(result.exchanges[2].body!.text, 'two');
});

test('http2-partial: the server offers h2 but resets the HTTP/2 stream', async (t) => {
  const port = await http2Server(t, (stream) => stream.close(http2.NGHTTP2_INTERNAL_ERROR));
  const result = await probe(port, { ca: [ca] });
  assert.deepEqual(ids(result), ['http2-partial']);
  assert.equal(result.exchanges[2].failure!.reason, 'protocol');
  assert.match(result.verdicts[0].finding, /offers HTTP\/2 \(ALPN h2\), but the HTTP\/2 GET failed \(.*INTERNAL_ERROR.*\) where HTTP\/1\.1 answered 200/);
});

test('http2-partial: HTTP/2 answers another status than HTTP/1.1', async (t) => {
  const port = await http2Server(t, (stream) => {
    stream.respond({ ':status': 502 });
    stream.end();
  });
  const result = await probe(port, { ca: [ca], headOnly: true });
  assert.deepEqual(ids(result), ['http2-partial']);
  assert.deepEqual(result.exchanges.map((e) => `${e.method} ${e.httpVersion} ${e.status}`), ['HEAD 1.1 200', 'HEAD 2 502']);
});

test('CLI --connect-to: https://example.test/ reaches the local server with Host and SNI example.test', async (t) => {
  let seen: { host?: string; servername?: string } = {};
  const port = await listen(t, createHttpsServer(pem.good, (request, response) => {
    seen = { host: request.headers.host, servername: (request.socket as TLSSocket).servername || undefined };
    response.end('hello');
  }));
  // Asynchronous, so that this process's server can answer while the CLI runs.
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    execFile(process.execPath, [CLI, 'probe', SITE, '--connect-to', `127.0.0.1:${port}`, '--cacert', join(dir, 'ca.pem'), '--timeout', '0.8', '--format', 'json'],
      (error, out) => resolve({ code: error ? (error as { code?: number }).code ?? null : 0, stdout: out }));
  });
  const result = JSON.parse(stdout) as ProbeResult;
  assert.equal(code, 0);
  assert.deepEqual(ids(result), ['ok']);
  assert.deepEqual(seen, { host: 'example.test', servername: 'example.test' });
  assert.deepEqual([result.dns.source, result.exchanges[0].address, result.exchanges[0].port], ['connect-to', '127.0.0.1', port]);
  assert.deepEqual(result.tls!.certificate!.names, ['example.test']);
  assert.equal(result.tls!.certificate!.issuer, 'CN=Origin Doctor Test CA');
});
