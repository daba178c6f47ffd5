import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_START_FLAGS } from '../../server/src/lsp/start-flags';

/** Client id: VS Code reads `originDoctor.trace.server` because of it. */
const CLIENT_ID = 'originDoctor';
const CLIENT_NAME = 'Origin Doctor';

/** YAML is sent too: the server decides which YAML file is a cloudflared config. Logs are explained against the configs. */
const LANGUAGES = ['nginx', 'php-fpm', 'yaml', 'nginx-error-log', 'php-fpm-log'];
const SCHEMES = ['file', 'untitled'];

/** Files whose changes on disk can change findings in other files (includes, upstream pools, tunnels). */
const WATCHED_GLOBS = [
  '**/*.{conf,yml,yaml,template}',
  '**/fastcgi_params',
  '**/sites-available/*',
  '**/sites-enabled/*',
];

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_START_FLAGS] } },
    // The extension development host starts the server with an inspector so a debugger can attach.
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_START_FLAGS, '--nolazy', '--inspect=6009'] } },
  };

  const watchers = WATCHED_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(...watchers);

  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme }))),
    synchronize: { configurationSection: 'originDoctor', fileEvents: watchers },
    outputChannel: output,
    // Asked at each start: the server reads only the workspace's own files until the workspace is trusted.
    initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
