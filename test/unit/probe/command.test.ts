import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { test } from 'node:test';
import type { ProbeTargetItem } from '../../../server/src/features/probe-targets';
import type { ProbeResult } from '../../../server/src/probe/types';
import { listen, silentServer } from './servers';
import { context, registerProbeCommand, state, stub, vscode } from './command-harness';

const targetRequests: string[] = [];
let targets: ProbeTargetItem[] = [];
registerProbeCommand(context as never, () => ({
  sendRequest: async <R>(method: string) => {
    targetRequests.push(method);
    return targets as R;
  },
}));

function reset(): void {
  Object.assign(stub.calls, { progress: [], panels: [], prompts: [], errors: [] });
  stub.answers = [];
  stub.cancelAfterMs = undefined;
  targetRequests.length = 0;
}

test('executeCommand with arguments: no prompt, a cancellable progress, the panel, the result returned', async (t) => {
  reset();
  const port = await listen(t, createServer((_request, response) => response.end('ok')));
  const url = `http://127.0.0.1:${port}/`;
  const result = await vscode.commands.executeCommand('originDoctor.probeOrigin', { url, headOnly: true }) as ProbeResult;

  assert.deepEqual(result.verdicts.map((v) => v.id), ['ok']);
  assert.deepEqual(result.exchanges.map((e) => e.method), ['HEAD']);
  assert.deepEqual(stub.calls.prompts, []);
  assert.deepEqual(targetRequests, []);
  assert.deepEqual(stub.calls.progress.map((p) => [p.title, p.cancellable]), [[`Probing ${url}`, true]]);
  assert.ok(stub.calls.progress[0].messages.includes('HEAD over HTTP/1.1'));
  const [panel] = stub.calls.panels;
  assert.deepEqual(panel.options, { enableScripts: false, localResourceRoots: [] });
  assert.equal(panel.title, `Probe: 127.0.0.1:${port}`);
  assert.match(panel.html, /Content-Security-Policy/);
  assert.deepEqual(state.get('originDoctor.probe.lastInput'), { url, connectTo: undefined });
});

test('settings reach the probe: the slow threshold and the step timeout', async (t) => {
  reset();
  stub.settings = { slowThresholdMs: 50, timeoutSeconds: 2 };
  t.after(() => (stub.settings = {}));
  const port = await listen(t, createServer((_request, response) => setTimeout(() => response.end('late'), 120)));
  const result = await vscode.commands.executeCommand('originDoctor.probeOrigin', { url: `http://127.0.0.1:${port}/`, headOnly: true }) as ProbeResult;
  assert.deepEqual(result.verdicts.map((v) => v.id), ['slow']);
  assert.deepEqual([result.slowThresholdMs, result.timeoutMs], [50, 2000]);
});

test('without arguments: the URL is picked from the workspace\'s targets, the last input prefilled, the address asked', async (t) => {
  reset();
  state.clear();
  const port = await listen(t, createServer((_request, response) => response.end('ok')));
  targets = [{ label: 'shop.example.test', url: 'http://shop.example.test/', detail: 'tunnel hostname → http://127.0.0.1:80 (cloudflared/config.yml:3)' }];
  stub.answers = ['shop.example.test', `127.0.0.1:${port}`];
  const result = await vscode.commands.executeCommand('originDoctor.probeOrigin') as ProbeResult;

  assert.deepEqual(targetRequests, ['originDoctor/probeTargets']);
  assert.deepEqual(stub.calls.prompts, [
    'quick pick (prefilled ""; items shop.example.test http://shop.example.test/)',
    'input box (prefilled "")',
  ]);
  assert.deepEqual(result.verdicts.map((v) => v.id), ['ok']);
  assert.deepEqual([result.url, result.connectTo, result.dns.source], ['http://shop.example.test/', `127.0.0.1:${port}`, 'connect-to']);
  assert.deepEqual(state.get('originDoctor.probe.lastInput'), { url: 'http://shop.example.test/', connectTo: `127.0.0.1:${port}` });

  // The next time, the last URL is prefilled and offered as typed, and its address too.
  reset();
  stub.answers = [undefined];
  assert.equal(await vscode.commands.executeCommand('originDoctor.probeOrigin'), undefined, 'backing out probes nothing');
  assert.match(stub.calls.prompts[0], /^quick pick \(prefilled "http:\/\/shop\.example\.test\/"/);
  assert.deepEqual(stub.calls.progress, []);
});

test('cancelling the progress stops the probe: no panel, undefined returned', async (t) => {
  reset();
  stub.cancelAfterMs = 50;
  const port = await silentServer(t);
  const started = Date.now();
  const result = await vscode.commands.executeCommand('originDoctor.probeOrigin', { url: `http://127.0.0.1:${port}/` });
  assert.equal(result, undefined);
  assert.deepEqual(stub.calls.panels, []);
  assert.ok(Date.now() - started < 1000);
});

test('a URL that cannot be probed: the caller with arguments gets the error', async () => {
  reset();
  await assert.rejects(vscode.commands.executeCommand('originDoctor.probeOrigin', { url: 'ftp://example.test/' }), /only http and https/);
});
