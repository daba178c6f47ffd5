// The Probe Origin command against a stand-in for `vscode`, with an extension context that keeps state in memory.
import { installVscodeStub } from './vscode-stub';

// The command module loads `vscode`, so it is required only once the stub stands in for it.
export const stub = installVscodeStub();
export const { registerProbeCommand } = require('../../../client/src/probe/command') as typeof import('../../../client/src/probe/command');
export const vscode = stub.vscode as { commands: { executeCommand(id: string, ...args: unknown[]): Promise<unknown> } };

export const state = new Map<string, unknown>();
export const context = {
  subscriptions: [] as unknown[],
  workspaceState: { get: (key: string) => state.get(key), update: async (key: string, value: unknown) => void state.set(key, value) },
};
