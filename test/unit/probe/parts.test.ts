import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { decodeBody } from '../../../server/src/probe/body';
import { isCloudflareAddress, isCloudflareBrandedPage } from '../../../server/src/probe/cloudflare';
import { formatMs, hostPort } from '../../../server/src/probe/describe';
import { parseProbeTarget, ProbeInputError } from '../../../server/src/probe/target';
import type { DnsReport, Exchange } from '../../../server/src/probe/types';
import { judge, type JudgeInput } from '../../../server/src/probe/verdicts';

test('targets: scheme, default ports, IPv6 hosts, and connect-to keeps the URL for Host and SNI', () => {
  const plain = parseProbeTarget('shop.example.com/cart?x=1');
  assert.deepEqual([plain.secure, plain.host, plain.port, plain.path, plain.hostIsIp], [false, 'shop.example.com', 80, '/cart?x=1', false]);
  const v6 = parseProbeTarget('https://[::1]:8443/');
  assert.deepEqual([v6.secure, v6.host, v6.port, v6.hostIsIp], [true, '::1', 8443, true]);
  assert.deepEqual(parseProbeTarget('https://example.test/', '127.0.0.1').connectTo, { address: '127.0.0.1', port: 443 });
  assert.deepEqual(parseProbeTarget('https://example.test/', '127.0.0.1:8443').connectTo, { address: '127.0.0.1', port: 8443 });
  assert.deepEqual(parseProbeTarget('https://example.test/', '[::1]:8443').connectTo, { address: '::1', port: 8443 });
  assert.deepEqual(parseProbeTarget('https://example.test/', '::1').connectTo, { address: '::1', port: 443 });
  assert.equal(parseProbeTarget('https://example.test/', '  ').connectTo, undefined);
});

test('targets: what cannot be probed is refused with a reason', () => {
  assert.throws(() => parseProbeTarget('ftp://example.test/'), ProbeInputError);
  assert.throws(() => parseProbeTarget('http://exa mple/'), ProbeInputError);
  assert.throws(() => parseProbeTarget('https://example.test/', 'origin.example.test'), /not an IP address/);
  assert.throws(() => parseProbeTarget('https://example.test/', '127.0.0.1:70000'), /no valid port/);
});

test('body decoding: gzip, raw deflate and br decode; a body cut short decodes as far as it goes', () => {
  const text = 'hello '.repeat(2000);
  assert.deepEqual(decodeBody(gzipSync(text), 'gzip', false), { ok: true, buffer: Buffer.from(text), capped: false });
  assert.equal((decodeBody(deflateRawSync(text), 'deflate', false) as { buffer: Buffer }).buffer.toString(), text);
  assert.equal((decodeBody(brotliCompressSync(text), 'br', false) as { buffer: Buffer }).buffer.toString(), text);
  const cut = gzipSync(text).subarray(0, 20);
  assert.equal(decodeBody(cut, 'gzip', true)?.ok, true, 'partial: no error for the missing end');
  assert.equal(decodeBody(cut, 'gzip', false)?.ok, false, 'complete: the missing end is an error');
  assert.equal(decodeBody(Buffer.from('x'), 'zstd', false), undefined, 'codings Node cannot decode are not judged');
});

test('Cloudflare: edge addresses and branded pages', () => {
  assert.ok(isCloudflareAddress('104.16.132.229'));
  assert.ok(isCloudflareAddress('2606:4700::6810:84e5'));
  assert.ok(!isCloudflareAddress('127.0.0.1'));
  assert.ok(!isCloudflareAddress('not-an-ip'));
  assert.ok(isCloudflareBrandedPage('<div id="cf-error-details">'));
  assert.ok(!isCloudflareBrandedPage('<center>cloudflare</center>'));
});

test('durations and addresses as people read them', () => {
  assert.deepEqual([formatMs(0.42), formatMs(42.4), formatMs(2400), formatMs(12_345)], ['0.4 ms', '42 ms', '2.40 s', '12.3 s']);
  assert.deepEqual([hostPort('10.0.0.1', 80), hostPort('::1', 443)], ['10.0.0.1:80', '[::1]:443']);
});

const NO_DNS: DnsReport = { host: '203.0.113.7', source: 'ip-literal', addresses: ['203.0.113.7'], answers: [], failed: false };

function verdictFor(failure: Exchange['failure']): JudgeInput {
  const exchange: Exchange = { method: 'HEAD', httpVersion: '1.1', address: '203.0.113.7', port: 443, timings: {}, headers: [], failure };
  return { host: '203.0.113.7', secure: true, dns: NO_DNS, exchanges: [exchange], slowThresholdMs: 2000, timeoutMs: 10_000, headOnly: false };
}

test('classification: an unreachable host and a stalled TLS handshake', () => {
  const unreachable = judge(verdictFor({ phase: 'connect', reason: 'unreachable', code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH' }));
  assert.deepEqual(unreachable.map((v) => v.id), ['connect-timeout']);
  assert.match(unreachable[0].finding, /^203\.0\.113\.7:443 is unreachable \(EHOSTUNREACH\)/);
  const stalled = judge(verdictFor({ phase: 'tls', reason: 'timeout', code: 'ETIMEDOUT', message: 'TLS handshake: no answer' }));
  assert.deepEqual(stalled.map((v) => v.id), ['response-timeout']);
  assert.match(stalled[0].finding, /TLS handshake got no answer in 10\.0 s/);
});

test('classification: the system resolver failing, explained by each DNS server', () => {
  const dns: DnsReport = {
    host: 'shop.example.com', source: 'system', addresses: [], failed: true,
    answers: [
      { resolver: 'system resolver', query: 'getaddrinfo', error: 'EAI_AGAIN' },
      { resolver: '10.0.0.53', query: 'A', error: 'ESERVFAIL' },
      { resolver: '10.0.0.53', query: 'AAAA', error: 'ETIMEOUT' },
    ],
  };
  const [verdict] = judge({ ...verdictFor(undefined), dns, exchanges: [] });
  assert.equal(verdict.finding, 'shop.example.com does not resolve. system resolver (getaddrinfo): temporary failure: no DNS server answered; 10.0.0.53 (A): server failure (SERVFAIL); 10.0.0.53 (AAAA): no answer in time.');
});
