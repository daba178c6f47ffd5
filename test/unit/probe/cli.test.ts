import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ProbeResult } from '../../../server/src/probe/types';
import { dnsServer, listen, refusedPort } from './servers';

const CLI = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

/** Runs the CLI without blocking this process, whose servers must answer it meanwhile. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr });
    });
  });
}

test('probe: text report, exit 0 when the verdict is ok', async (t) => {
  const page = gzipSync('<h1>shop</h1>');
  const port = await listen(t, createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip', 'Content-Length': page.length });
    response.end(request.method === 'HEAD' ? undefined : page);
  }));
  const { code, stdout } = await cli(['probe', `http://127.0.0.1:${port}/`, '--timeout', '0.8']);
  assert.equal(code, 0);
  const lines = stdout.split('\n');
  assert.match(lines[0], /^ok: The origin answered 200 in [\d.]+ ms; body 33 B of 33 B \(Content-Length\), gzip → 13 B\.$/);
  assert.match(lines[1], /^ {2}next: /);
  assert.ok(lines.includes(`Probe    http://127.0.0.1:${port}/ at 127.0.0.1:${port} (address in the URL)`));
  assert.ok(lines.includes('DNS      not asked: the URL holds an address'));
  assert.ok(lines.some((l) => /^HEAD HTTP\/1\.1 +HTTP\/1\.1 200 OK {2}\[connect [\d.]+ ms · first byte [\d.]+ ms · body [\d.]+ ms\]$/.test(l)));
  assert.ok(lines.includes('Headers of the GET HTTP/1.1:'));
  assert.ok(lines.includes('  Content-Encoding: gzip'));
});

test('probe: JSON with the verdict list; exit 1 when the verdict is not ok', async () => {
  const port = await refusedPort();
  const { code, stdout } = await cli(['probe', `http://127.0.0.1:${port}/`, '--format=json', '--head-only']);
  assert.equal(code, 1);
  const result = JSON.parse(stdout) as ProbeResult;
  assert.deepEqual(result.verdicts.map((v) => v.id), ['origin-refused']);
  assert.deepEqual(Object.keys(result.verdicts[0]), ['id', 'finding', 'nextStep']);
});

test('probe --dns-servers: the resolver asked, and what it answered, in the report', async (t) => {
  const resolver = await dnsServer(t, {});
  const { code, stdout } = await cli(['probe', 'http://shop.example.test/', '--dns-servers', resolver, '--timeout', '0.8']);
  assert.equal(code, 1);
  assert.match(stdout, new RegExp(`^dns-failure: shop\\.example\\.test does not resolve\\. ${resolver} \\(A\\): no such name \\(NXDOMAIN\\)`));
});

test('probe: bad usage exits 2 with a message and sends nothing', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['probe'], /probe needs a URL/],
    [['probe', 'http://a.test/', 'http://b.test/'], /probe takes one URL/],
    [['probe', 'ftp://example.test/'], /only http and https/],
    [['probe', 'https://example.test/', '--connect-to', 'origin.example.test'], /not an IP address/],
    [['probe', 'https://example.test/', '--timeout', '0'], /--timeout needs a number of seconds above 0/],
    [['probe', 'https://example.test/', '--format', 'xml'], /unknown format "xml"/],
    [['probe', 'https://example.test/', '--connect-to'], /--connect-to needs a value/],
    [['probe', 'https://example.test/', '--cacert', 'no-such-file.pem'], /cannot read no-such-file\.pem/],
    [['probe', 'https://example.test/', '--follow'], /unknown option "--follow"/],
    [['probe', 'https://example.test/', '--dns-servers', 'resolver.example'], /--dns-servers: .*resolver\.example/],
  ];
  const runs = await Promise.all(cases.map(([args]) => cli(args)));
  cases.forEach(([args, message], i) => {
    const { code, stdout, stderr } = runs[i];
    assert.equal(code, 2, args.join(' '));
    assert.equal(stdout, '');
    assert.match(stderr, message);
    assert.match(stderr, /origin-doctor probe URL/);
  });
});
