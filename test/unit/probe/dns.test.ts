import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { probeOrigin } from '../../../server/src/probe/probe';
import { dnsServer, listen } from './servers';

// The probe asks a DNS server the test runs on 127.0.0.1 (dnsServers, curl's --dns-servers): no query leaves the machine.

test('dns-failure: says which resolver answered what, for A and AAAA', async (t) => {
  const resolver = await dnsServer(t, {});
  const result = await probeOrigin({ url: 'http://shop.example.test/', dnsServers: [resolver], timeoutMs: 800 });
  assert.deepEqual(result.verdicts.map((v) => v.id), ['dns-failure']);
  assert.deepEqual(result.exchanges, []);
  assert.deepEqual(result.dns.answers, [
    { resolver, query: 'A', error: 'ENOTFOUND' },
    { resolver, query: 'AAAA', error: 'ENOTFOUND' },
  ]);
  assert.equal(
    result.verdicts[0].finding,
    `shop.example.test does not resolve. ${resolver} (A): no such name (NXDOMAIN); ${resolver} (AAAA): no such name (NXDOMAIN).`,
  );
  assert.match(result.verdicts[0].nextStep, /Cloudflare's DNS tab/);
});

test('a name the resolver knows is probed at its address, with the URL\'s Host', async (t) => {
  let host: string | undefined;
  const port = await listen(t, createServer((request, response) => {
    host = request.headers.host;
    response.end('ok');
  }));
  const resolver = await dnsServer(t, { 'shop.example.test': '127.0.0.1' });
  const result = await probeOrigin({ url: `http://shop.example.test:${port}/`, dnsServers: [resolver], timeoutMs: 800 });
  assert.deepEqual(result.verdicts.map((v) => v.id), ['ok']);
  assert.deepEqual([result.dns.source, result.dns.addresses, result.dns.failed], ['dns-servers', ['127.0.0.1'], false]);
  assert.ok(result.dns.durationMs !== undefined);
  assert.equal(host, `shop.example.test:${port}`);
});
