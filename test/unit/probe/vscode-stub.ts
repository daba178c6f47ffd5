import Module from 'node:module';

/**
 * Just enough of the `vscode` API for the probe command to run in plain Node: commands, progress, webview
 * panels, quick picks, input boxes and settings, each recording how it was used. It stands in for an
 * extension host, which these tests do not start.
 */
export interface StubCalls {
  progress: Array<{ title?: string; cancellable?: boolean; messages: string[] }>;
  panels: Array<{ options: Record<string, unknown>; html: string; title: string }>;
  prompts: string[];
  errors: string[];
  /** Modal questions: their message, detail and buttons. */
  confirmations: Array<{ message: string; detail?: string; items: string[] }>;
}

export interface Stub {
  vscode: Record<string, unknown>;
  calls: StubCalls;
  /** What the next prompts answer, in order: a quick pick takes the item whose label matches, an input box the text. */
  answers: Array<string | undefined>;
  /** Cancels the running progress after this many ms. */
  cancelAfterMs?: number;
  settings: Record<string, unknown>;
  /** `workspace.isTrusted`; true unless a test says otherwise. */
  trusted: boolean;
}

export function installVscodeStub(): Stub {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const stub: Stub = { calls: { progress: [], panels: [], prompts: [], errors: [], confirmations: [] }, answers: [], settings: {}, trusted: true, vscode: {} };
  const disposable = { dispose: () => undefined };
  stub.vscode = {
    ProgressLocation: { Notification: 15 },
    ViewColumn: { Beside: -2 },
    commands: {
      registerCommand(id: string, handler: (...args: unknown[]) => unknown) {
        commands.set(id, handler);
        return disposable;
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)!(...args),
    },
    workspace: {
      getConfiguration: () => ({ get: <T>(key: string, fallback: T) => (stub.settings[key] as T | undefined) ?? fallback }),
      get isTrusted() {
        return stub.trusted;
      },
    },
    window: {
      async withProgress<R>(options: { title?: string; cancellable?: boolean }, task: (progress: unknown, token: unknown) => Promise<R>): Promise<R> {
        const record = { title: options.title, cancellable: options.cancellable, messages: [] as string[] };
        stub.calls.progress.push(record);
        const listeners: Array<() => void> = [];
        const token = { onCancellationRequested: (listener: () => void) => (listeners.push(listener), disposable) };
        if (stub.cancelAfterMs !== undefined) setTimeout(() => listeners.forEach((l) => l()), stub.cancelAfterMs);
        return task({ report: ({ message }: { message: string }) => record.messages.push(message) }, token);
      },
      createWebviewPanel(_type: string, title: string, _column: number, options: Record<string, unknown>) {
        const record = { options, html: '', title };
        stub.calls.panels.push(record);
        return {
          webview: { set html(value: string) { record.html = value; } },
          set title(value: string) { record.title = value; },
          reveal: () => undefined,
          onDidDispose: () => disposable,
        };
      },
      createQuickPick: () => quickPick(stub),
      async showInputBox(options: { value?: string; validateInput?: (value: string) => string | undefined }) {
        stub.calls.prompts.push(`input box (prefilled "${options.value ?? ''}")`);
        const answer = stub.answers.shift();
        if (answer !== undefined && options.validateInput?.(answer)) throw new Error(`input "${answer}" refused: ${options.validateInput(answer)}`);
        return answer;
      },
      showErrorMessage: async (message: string) => void stub.calls.errors.push(message),
      /** Only the modal form: it answers with the next answer, a button's title or undefined (Cancel). */
      async showWarningMessage(message: string, options: { modal?: boolean; detail?: string }, ...items: string[]) {
        if (!options.modal) throw new Error('the stub answers modal warnings only');
        stub.calls.confirmations.push({ message, detail: options.detail, items });
        return stub.answers.shift();
      },
    },
  };
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub.vscode } as NodeJS.Module;
  return stub;
}

interface PickItem {
  label: string;
  description?: string;
  url: string;
}

/**
 * A quick pick that, once shown and its items filled, records them and accepts the item whose label is the next
 * answer (or hides when there is none).
 */
function quickPick(stub: Stub) {
  const handlers: Record<string, (value?: unknown) => void> = {};
  const pick = {
    title: '', placeholder: '', value: '', matchOnDescription: false, matchOnDetail: false, busy: false,
    items: [] as PickItem[],
    selectedItems: [] as PickItem[],
    onDidChangeValue: (handler: () => void) => ((handlers.change = handler), { dispose: () => undefined }),
    onDidAccept: (handler: () => void) => ((handlers.accept = handler), { dispose: () => undefined }),
    onDidHide: (handler: () => void) => ((handlers.hide = handler), { dispose: () => undefined }),
    show() {
      const answer = stub.answers.shift();
      setImmediate(() => {
        stub.calls.prompts.push(`quick pick (prefilled "${pick.value}"; items ${pick.items.map((i) => `${i.label} ${i.description ?? ''}`.trim()).join(' | ')})`);
        const chosen = pick.items.find((i) => i.label === answer);
        if (!chosen) return pick.hide();
        pick.selectedItems = [chosen];
        handlers.accept();
      });
    },
    hide: () => handlers.hide(),
    dispose: () => undefined,
  };
  return pick;
}
