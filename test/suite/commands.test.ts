import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { ProbeResult } from '../../server/src/probe/types';
import { closedPort, TestOrigin } from '../editor/test-origin';
import { expectedFindings, NGINX_CONF, TUNNEL, waitForExampleFindings } from './examples';
import { findingsOf, tabLabels, waitFor } from './helpers';

function probe(args: { url: string; connectTo?: string; headOnly?: boolean }): Thenable<ProbeResult | undefined> {
  return vscode.commands.executeCommand<ProbeResult | undefined>('originDoctor.probeOrigin', args);
}

function verdictIds(result: ProbeResult | undefined): string[] {
  return result?.verdicts.map((v) => v.id) ?? [];
}

/** The verdicts and what each exchange saw, for assertion messages. */
function explain(result: ProbeResult | undefined): string {
  if (!result) return 'no result';
  const exchanges = result.exchanges.map((e) => `${e.method} ${e.status ?? '-'}${e.failure ? ` failed in ${e.failure.phase}: ${e.failure.reason} ${e.failure.code} ${e.failure.message}` : ''}`);
  return JSON.stringify({ verdicts: result.verdicts.map((v) => `${v.id}: ${v.finding}`), exchanges }, null, 2);
}

suite('Commands', () => {
  const origin = new TestOrigin();
  let port = 0;

  suiteSetup(async () => {
    port = await origin.start();
    await waitForExampleFindings();
  });

  suiteTeardown(() => origin.stop());

  test('Probe Origin on a healthy origin: HEAD then GET, verdict ok, and a panel with the result', async () => {
    const before = origin.requests.length;
    const result = await probe({ url: `http://127.0.0.1:${port}/` });
    assert.ok(result, 'the command returns its result');
    assert.deepEqual(verdictIds(result), ['ok'], explain(result));
    assert.deepEqual(result.exchanges.map((e) => `${e.method} ${e.status}`), ['HEAD 200', 'GET 200']);
    assert.deepEqual(origin.requests.slice(before).map((r) => r.method), ['HEAD', 'GET']);
    await waitFor(`the panel "Probe: 127.0.0.1:${port}"`, () => tabLabels().includes(`Probe: 127.0.0.1:${port}`));
  });

  test('Probe Origin on an origin that answers 502: the origin-5xx verdict names the web server', async () => {
    const result = await probe({ url: `http://127.0.0.1:${port}/bad-gateway` });
    assert.deepEqual(verdictIds(result), ['origin-5xx'], explain(result));
    assert.match(result!.verdicts[0].finding, /answered 502 \(server: nginx\/1\.22\.1\)/);
    assert.ok(result!.verdicts[0].nextStep.length > 0);
  });

  test('Probe Origin with connectTo: Host is the URL\'s, the connection goes to the given address, no DNS', async () => {
    const before = origin.requests.length;
    const result = await probe({ url: 'http://shop.example.com/', connectTo: `127.0.0.1:${port}` });
    assert.deepEqual(verdictIds(result), ['ok'], explain(result));
    assert.equal(result!.dns.source, 'connect-to');
    assert.equal(result!.connectTo, `127.0.0.1:${port}`);
    const seen = origin.requests.slice(before);
    assert.ok(seen.length > 0 && seen.every((r) => r.headers.host === 'shop.example.com'), JSON.stringify(seen.map((r) => r.headers.host)));
    await waitFor('the panel "Probe: shop.example.com"', () => tabLabels().includes('Probe: shop.example.com'));
  });

  test('Probe Origin with headOnly sends only the HEAD', async () => {
    const before = origin.requests.length;
    const result = await probe({ url: `http://127.0.0.1:${port}/`, headOnly: true });
    assert.deepEqual(result!.exchanges.map((e) => e.method), ['HEAD']);
    assert.deepEqual(origin.requests.slice(before).map((r) => r.method), ['HEAD']);
  });

  test('Probe Origin on a port nothing listens on: origin-refused', async () => {
    const result = await probe({ url: `http://127.0.0.1:${await closedPort()}/` });
    assert.deepEqual(verdictIds(result), ['origin-refused'], explain(result));
  });

  test('Probe Origin rejects a URL it cannot probe when called with arguments', async () => {
    await assert.rejects(Promise.resolve(probe({ url: 'ftp://127.0.0.1/' })));
  });

  test('Show Origin Map: Cloudflare hostname → tunnel service → nginx server → upstream and pool, in a panel', async () => {
    interface MapNode { kind: string; label: string; at?: { uri: string; line: number }; children: MapNode[] }
    const roots = (await vscode.commands.executeCommand<MapNode[]>('originDoctor.showOriginMap')) ?? [];
    const shop = roots.find((n) => n.kind === 'hostname' && n.label === 'shop.example.com');
    assert.ok(shop, `no shop.example.com among ${JSON.stringify(roots.map((n) => n.label))}`);
    const service = shop.children[0];
    assert.equal(service?.kind, 'service');
    assert.equal(service.label, 'http://127.0.0.1:80');
    const server = service.children.find((n) => n.kind === 'server');
    assert.ok(server, JSON.stringify(service.children));
    assert.match(server.at?.uri ?? '', /nginx\/sites-enabled\/shop\.conf$/);
    const flat = (nodes: MapNode[]): MapNode[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
    const below = flat(server.children);
    assert.ok(below.some((n) => n.kind === 'upstream' && /api_backend/.test(n.label)), 'the API location leads to the upstream');
    assert.ok(below.some((n) => n.kind === 'pool' && /\[www\]/.test(n.label)), 'the PHP location leads to the pool');
    assert.ok(roots.some((n) => n.label === 'api.example.com'));
    await waitFor('the panel "Origin Map"', () => tabLabels().includes('Origin Map'));
  });

  test('Restart Server: the findings come back from the new server', async () => {
    const before = findingsOf(NGINX_CONF);
    await vscode.commands.executeCommand('originDoctor.restartServer');
    await waitForExampleFindings();
    assert.deepEqual(findingsOf(NGINX_CONF), before);
    assert.deepEqual(findingsOf(TUNNEL), expectedFindings(TUNNEL));
  });
});
