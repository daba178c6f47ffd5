import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  HoverRequest, InitializedNotification, InitializeRequest, type Hover, type Position, type TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node';
import { PublishedDiagnostics } from './published-diagnostics';
import type { ServerSession } from './server-session';

/**
 * An editor's side of a session with the built server, for one document under edit: what the server published,
 * requests asked with an editor's patience, and results made comparable across two workspaces.
 */
export interface EditorClient {
  session: ServerSession;
  published: PublishedDiagnostics;
  /** The document under edit. */
  uri: string;
  /** How the server asked to be sent changes. */
  syncKind: TextDocumentSyncKind | undefined;
  /** The slowest answer to a request asked through `answered`, for a report. */
  slowestAnswerMs: number;
}

/** "A few seconds": an editor that waits longer for a hover has given up on it. */
export const ANSWER_WITHIN_MS = 5000;

/** Initializes `session` as an editor without settings does, and starts listening. */
export async function connectEditor(session: ServerSession, uri: string): Promise<EditorClient> {
  const published = new PublishedDiagnostics(session.connection);
  session.connection.listen();
  const { capabilities } = await session.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: session.rootUri, workspaceFolders: [{ uri: session.rootUri, name: 'origin' }], capabilities: {},
  });
  await session.connection.sendNotification(InitializedNotification.type, {});
  const sync = capabilities.textDocumentSync;
  return { session, published, uri, syncKind: typeof sync === 'number' ? sync : sync?.change, slowestAnswerMs: 0 };
}

/** `request`'s answer, or a rejection naming `what` when it takes longer than ANSWER_WITHIN_MS. */
export function answered<T>(client: EditorClient, what: string, request: Promise<T>): Promise<T> {
  const asked = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  return Promise.race([request, late]).finally(() => {
    clearTimeout(timer);
    client.slowestAnswerMs = Math.max(client.slowestAnswerMs, performance.now() - asked);
  });
}

export function hover(client: EditorClient, position: Position): Promise<Hover | null> {
  return answered(client, 'hover', client.session.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri }, position }));
}

/**
 * Every document's latest diagnostics, for a server that had nothing left to analyse when list number `since`
 * arrived and was then sent one change: the next list of the edited document is the analysis of that change, and
 * the hover after it a barrier, answered once every other list of that analysis is in.
 */
export async function settledDiagnostics(client: EditorClient, since: number): Promise<Record<string, unknown>> {
  await client.published.after(since, client.uri, 10_000);
  await hover(client, { line: 0, character: 0 });
  return latestDiagnostics(client);
}

/** How long a server that keeps publishing something else than what is expected is given to stop. */
const QUIET_MS = 2000;

/**
 * Every document's latest diagnostics once they are `expected`, or once the server has stopped publishing, for a
 * server sent a stream of changes: lists of earlier texts may still be on their way when the last change is sent,
 * and the server may analyse once more after it, at once or after a debounce. The hover first makes sure the
 * server has read every change.
 */
export async function convergedDiagnostics(client: EditorClient, expected: Record<string, unknown>): Promise<Record<string, unknown>> {
  await hover(client, { line: 0, character: 0 });
  let latest = latestDiagnostics(client);
  while (!isDeepStrictEqual(latest, expected) && (await client.published.next(QUIET_MS))) latest = latestDiagnostics(client);
  return latest;
}

/** The latest list of every document, by workspace-relative URI. */
export function latestDiagnostics(client: EditorClient): Record<string, unknown> {
  return relativeTo(client.session, Object.fromEntries([...client.published.latest].sort(([a], [b]) => a.localeCompare(b))));
}

/** `value` with the workspace's own folder, as URI or path, replaced by `<root>`: two workspaces compare equal. */
export function relativeTo<T>(session: ServerSession, value: T): T {
  const json = JSON.stringify(value).replaceAll(session.rootUri, '<root>').replaceAll(fileURLToPath(session.rootUri), '<root>');
  return JSON.parse(json);
}
