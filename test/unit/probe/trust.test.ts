import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { test, type TestContext } from 'node:test';
import type { ProbeResult } from '../../../server/src/probe/types';
import { listen } from './servers';
import { context, registerProbeCommand, stub, vscode } from './command-harness';

const WORKSPACE_TARGET = { label: 'shop.example.test', url: 'http://shop.example.test/', detail: 'server_name (nginx/sites/shop.conf:3)' };
registerProbeCommand(context as never, () => ({ sendRequest: async <R>() => [WORKSPACE_TARGET] as R }));

const DETAIL = 'This workspace is not trusted, and its configuration files may have chosen this address. Connect only to a host you mean to probe.';

/** Starts a test in a workspace trusted or not; returns an HTTP server on 127.0.0.1 and the connections it accepted. */
async function origin(t: TestContext, trusted: boolean): Promise<{ port: number; connections: () => number }> {
  Object.assign(stub.calls, { progress: [], panels: [], prompts: [], errors: [], confirmations: [] });
  stub.answers = [];
  stub.trusted = trusted;
  t.after(() => (stub.trusted = true));
  let accepted = 0;
  const server = createServer((_request, response) => response.end('ok'));
  server.on('connection', () => accepted++);
  return { port: await listen(t, server), connections: () => accepted };
}

test('trusted workspace: the probe connects without a question', async (t) => {
  const { port, connections } = await origin(t, true);
  const result = await vscode.commands.executeCommand('originDoctor.probeOrigin', { url: `http://127.0.0.1:${port}/`, headOnly: true }) as ProbeResult;
  assert.deepEqual(result.verdicts.map((v) => v.id), ['ok']);
  assert.deepEqual(stub.calls.confirmations, []);
  assert.equal(connections(), 1);
});

test('untrusted workspace: a modal question names the address first; Connect probes', async (t) => {
  const { port, connections } = await origin(t, false);
  stub.answers = ['Connect'];
  const result = await vscode.commands.executeCommand('originDoctor.probeOrigin', { url: `http://127.0.0.1:${port}/`, headOnly: true }) as ProbeResult;
  assert.deepEqual(stub.calls.confirmations, [{ message: `Probe Origin will connect to 127.0.0.1 on port ${port}.`, detail: DETAIL, items: ['Connect'] }]);
  assert.deepEqual(result.verdicts.map((v) => v.id), ['ok']);
  assert.equal(connections(), 1);
});

test('untrusted workspace, the question declined: nothing is sent, no progress, no panel, undefined returned', async (t) => {
  const { port, connections } = await origin(t, false);
  stub.answers = [undefined];
  const result = await vscode.commands.executeCommand('originDoctor.probeOrigin', { url: `http://127.0.0.1:${port}/` });
  assert.equal(result, undefined);
  assert.equal(stub.calls.confirmations.length, 1);
  assert.deepEqual([stub.calls.progress, stub.calls.panels, connections()], [[], [], 0]);
});

test('untrusted workspace, a URL from its configs: the question names the connect-to address and the host asked for', async (t) => {
  const { port, connections } = await origin(t, false);
  stub.answers = ['shop.example.test', `127.0.0.1:${port}`, 'Connect'];
  const result = await vscode.commands.executeCommand('originDoctor.probeOrigin') as ProbeResult;
  assert.deepEqual(stub.calls.confirmations.map((c) => c.message), [`Probe Origin will connect to 127.0.0.1 on port ${port}, asking for shop.example.test.`]);
  // HEAD, then GET, each on its own connection.
  assert.deepEqual([result.url, result.dns.source, connections()], ['http://shop.example.test/', 'connect-to', 2]);
});

test('untrusted workspace, a host name: the question says DNS is asked first, and declining asks DNS nothing', async (t) => {
  await origin(t, false);
  stub.answers = [undefined];
  assert.equal(await vscode.commands.executeCommand('originDoctor.probeOrigin', { url: 'https://shop.example.test/' }), undefined);
  assert.deepEqual(stub.calls.confirmations.map((c) => c.message), ['Probe Origin will connect to shop.example.test on port 443, after asking DNS for its address.']);
  assert.deepEqual(stub.calls.progress, []);
});
