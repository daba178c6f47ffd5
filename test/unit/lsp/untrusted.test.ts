import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ConfigurationRequest, InitializedNotification, InitializeRequest, RegistrationRequest,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { PublishedDiagnostics } from './published-diagnostics';
import { startServer } from './server-session';

/**
 * The built server in an untrusted workspace, next to the same workspace trusted: untrusted, it reads nothing
 * outside the workspace folder (an include, a link the scan meets) and runs no nginx from within it.
 */

// Outside every workspace: an upstream the main config includes, and a site a link in the workspace points at.
const outside = realpathSync(mkdtempSync(join(tmpdir(), 'origin-doctor-outside-')));
after(() => rmSync(outside, { recursive: true, force: true }));
writeFileSync(join(outside, 'upstreams.conf'), 'upstream api {\n    server 127.0.0.1:3000;\n}\n');
mkdirSync(join(outside, 'sites'));
writeFileSync(join(outside, 'sites', 'shop.conf'), 'server {\n    listen 82;\n    server_nme shop.example;\n}\n');

const MAIN = [
  'events {}',
  'http {',
  `    include ${outside}/upstreams.conf;`,
  '    include linked/*.conf;',
  '    server {',
  '        listen 81;',
  '        location / { proxy_pass http://api; }',
  '    }',
  '}',
  '',
].join('\n');

/** An nginx in the workspace's bin/, first on the server's PATH, that leaves a mark when it runs. */
const WORKSPACE_NGINX = '#!/bin/sh\ntouch "$(dirname "$0")/../nginx-ran"\necho "nginx version: nginx/1.99.0" >&2\n';

interface Outcome {
  root: string;
  /** The diagnostics of nginx/nginx.conf as `code severity line:col-line:col message`. */
  main: string[];
  /** Workspace-relative paths of the other files that got diagnostics. */
  others: string[];
  nginxRan: boolean;
}

/** Starts the server on the workspace, trusted or not, and returns what it published once it has analysed it. */
async function analyseWorkspace(trusted: boolean): Promise<Outcome> {
  const session = startServer('origin-doctor-trust-', (root) => ({ ...process.env, PATH: [join(root, 'bin'), process.env.PATH].join(delimiter) }));
  const root = fileURLToPath(session.rootUri);
  const mainUri = session.write('nginx/nginx.conf', MAIN);
  session.write('bin/nginx', WORKSPACE_NGINX);
  chmodSync(join(root, 'bin', 'nginx'), 0o755);
  symlinkSync(join(outside, 'sites'), join(root, 'nginx', 'linked'));
  const { connection } = session;
  const published = new PublishedDiagnostics(connection);
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: session.rootUri,
      workspaceFolders: [{ uri: session.rootUri, name: 'origin' }],
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { workspaceTrusted: trusted },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await published.after(0, mainUri, 10_000);
    // Answered after that analysis: everything it published has arrived before the answer.
    await connection.sendRequest('originDoctor/probeTargets');
    const prefix = `${pathToFileURL(root).toString()}/`;
    return {
      root,
      main: published.latest.get(mainUri)!.map(describe),
      others: [...published.latest].filter(([uri, diagnostics]) => uri !== mainUri && diagnostics.length > 0).map(([uri]) => uri.slice(prefix.length)),
      nginxRan: existsSync(join(root, 'nginx-ran')),
    };
  } finally {
    await session.close();
  }
}

function describe(d: Diagnostic): string {
  const { start, end } = d.range;
  return `${d.code} ${d.severity} ${start.line}:${start.character}-${end.line}:${end.character} ${d.message}`;
}

const notRead = (path: string) => `not read: workspace not trusted. "${path}" lies outside the workspace folders, and nothing outside them is read until the workspace is trusted.`;

test('untrusted: includes that lead outside are information, "not read", the linked folder is not scanned, the workspace\'s nginx not run', { skip: process.platform === 'win32' && 'the workspace nginx is a shell script' }, async () => {
  const { root, main, others, nginxRan } = await analyseWorkspace(false);
  const INFORMATION = 3;
  assert.deepEqual(main, [
    `nginx/include-not-found ${INFORMATION} 2:12-2:${12 + outside.length + 15} ${notRead(`${outside}/upstreams.conf`)}`,
    `nginx/include-not-found ${INFORMATION} 3:12-3:25 ${notRead(`${root}/nginx/linked/*.conf`)} Relative paths resolve against the conf prefix (${root}/nginx).`,
  ]);
  assert.deepEqual(others, []);
  assert.equal(nginxRan, false);
});

test('trusted: the same workspace reads what its includes and its link lead to, and runs the nginx on the PATH', { skip: process.platform === 'win32' && 'the workspace nginx is a shell script' }, async () => {
  const { main, others, nginxRan } = await analyseWorkspace(true);
  assert.deepEqual(main, []);
  assert.deepEqual(others, ['nginx/linked/shop.conf']);
  assert.equal(nginxRan, true);
});
