import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, ExitNotification, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { SERVER_START_FLAGS } from '../../../server/src/lsp/start-flags';

const SERVER = join(__dirname, '..', '..', '..', '..', 'dist', 'server.js');

/** The built server (dist/server.js) over stdio, with a temp workspace of its own, as an editor starts it. */
export interface ServerSession {
  /** Not yet listening: register handlers, then call `connection.listen()`. */
  connection: ProtocolConnection;
  rootUri: string;
  /** The server process's id, to read its memory from /proc. */
  pid: number;
  /** False once the server process has exited, on its own or by a crash. */
  alive(): boolean;
  /** Writes a file of the workspace and returns its URI. */
  write(relative: string, text: string): string;
  /** Shutdown and exit as the protocol asks, waits for the process to end, removes the workspace. */
  close(): Promise<void>;
}

/** `environment` gives the server's environment variables, knowing the workspace folder (default: this process's). */
export function startServer(prefix: string, environment?: (root: string) => NodeJS.ProcessEnv): ServerSession {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const server = spawn(process.execPath, [...SERVER_START_FLAGS, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: environment?.(root) });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  return {
    connection,
    rootUri: pathToFileURL(root).toString(),
    pid: server.pid!,
    alive: () => server.exitCode === null && server.signalCode === null,
    write(relative, text) {
      const path = join(root, relative);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return pathToFileURL(path).toString();
    },
    async close() {
      await connection.sendRequest(ShutdownRequest.type);
      const exited = new Promise((resolve) => server.once('exit', resolve));
      await connection.sendNotification(ExitNotification.type);
      await exited;
      connection.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
