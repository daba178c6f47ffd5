import * as vscode from 'vscode';
import type { ProbeTargetItem } from '../../../server/src/features/probe-targets';
import { PROBE_DEFAULTS, probeOrigin } from '../../../server/src/probe/probe';
import { parseProbeTarget } from '../../../server/src/probe/target';
import type { ProbeResult } from '../../../server/src/probe/types';
import { askProbeInput, type ProbeInput } from './input';
import { showProbeResult } from './panel';

/** The part of the language client the command needs. */
interface TargetSource {
  sendRequest<R>(method: string): Promise<R>;
}

const LAST_INPUT_KEY = 'originDoctor.probe.lastInput';
const CONNECT = 'Connect';

/**
 * Origin Doctor: Probe Origin. Without arguments it asks for the URL and origin address; with
 * `{ url, connectTo?, headOnly?, insecure? }` it asks nothing. Either way it shows the result in a panel and
 * returns it (undefined when cancelled).
 */
export function registerProbeCommand(context: vscode.ExtensionContext, client: () => TargetSource | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('originDoctor.probeOrigin', async (args?: ProbeInput): Promise<ProbeResult | undefined> => {
      const given = typeof args?.url === 'string';
      const input = given ? args : await askProbeInput(context.workspaceState.get<ProbeInput>(LAST_INPUT_KEY), workspaceTargets(client()));
      if (!input) return undefined;
      await context.workspaceState.update(LAST_INPUT_KEY, { url: input.url, connectTo: input.connectTo });
      try {
        if (!(await connectionAllowed(input))) return undefined;
        const result = await probeWithProgress(input);
        if (result) showProbeResult(context, result);
        return result;
      } catch (error) {
        // Called with arguments (a test, another extension), the caller gets the error; a person gets a message.
        if (given) throw error;
        void vscode.window.showErrorMessage(`Probe Origin: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    }),
  );
}

/**
 * In an untrusted workspace the URL may come from its configs, or the command from a link it holds: nothing is
 * sent, not even a DNS question, before the person agrees to the host or address named. Trusted: no question.
 */
async function connectionAllowed(input: ProbeInput): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const target = parseProbeTarget(input.url, input.connectTo);
  const where = target.connectTo
    ? `${target.connectTo.address} on port ${target.connectTo.port}, asking for ${target.host}`
    : `${target.host} on port ${target.port}${target.hostIsIp ? '' : ', after asking DNS for its address'}`;
  const choice = await vscode.window.showWarningMessage(`Probe Origin will connect to ${where}.`, {
    modal: true,
    detail: 'This workspace is not trusted, and its configuration files may have chosen this address. Connect only to a host you mean to probe.',
  }, CONNECT);
  return choice === CONNECT;
}

/** The URLs the server finds in the workspace's configs; none when the server is not running yet. */
async function workspaceTargets(source: TargetSource | undefined): Promise<ProbeTargetItem[]> {
  try {
    return (await source?.sendRequest<ProbeTargetItem[]>('originDoctor/probeTargets')) ?? [];
  } catch {
    return [];
  }
}

function probeWithProgress(input: ProbeInput): Promise<ProbeResult | undefined> {
  const settings = vscode.workspace.getConfiguration('originDoctor.probe');
  return Promise.resolve(vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Probing ${input.url}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancellation = token.onCancellationRequested(() => controller.abort());
      try {
        return await probeOrigin({
          url: input.url,
          connectTo: input.connectTo,
          headOnly: input.headOnly,
          insecure: input.insecure,
          timeoutMs: settings.get<number>('timeoutSeconds', PROBE_DEFAULTS.timeoutMs / 1000) * 1000,
          maxBodyBytes: settings.get<number>('maxBodyBytes', PROBE_DEFAULTS.maxBodyBytes),
          slowThresholdMs: settings.get<number>('slowThresholdMs', PROBE_DEFAULTS.slowThresholdMs),
          signal: controller.signal,
          onStep: (message) => progress.report({ message }),
        });
      } catch (error) {
        if (controller.signal.aborted) return undefined;
        throw error;
      } finally {
        cancellation.dispose();
      }
    },
  ));
}
