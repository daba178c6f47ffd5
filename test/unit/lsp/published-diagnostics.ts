import { PublishDiagnosticsNotification, type Diagnostic, type ProtocolConnection } from 'vscode-languageserver-protocol/node';

/**
 * The diagnostics a server published, as an editor keeps them: the latest list per document (the server sends a
 * document's list again only when it changes), numbered in order of arrival so a test can wait for a later one.
 */
export class PublishedDiagnostics {
  readonly latest = new Map<string, Diagnostic[]>();
  /** The number of each document's latest list. */
  private readonly numbers = new Map<string, number>();
  private received = 0;
  private readonly waiters = new Set<(uri: string) => void>();

  constructor(connection: ProtocolConnection) {
    connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
      this.numbers.set(uri, ++this.received);
      this.latest.set(uri, diagnostics);
      for (const waiter of this.waiters) waiter(uri);
    });
  }

  /** How many lists have arrived so far: pass it to `after` to wait for a later one. */
  get count(): number {
    return this.received;
  }

  /** Resolves once a list for `uri` has arrived after list number `since`; rejects after `withinMs`. */
  async after(since: number, uri: string, withinMs: number): Promise<void> {
    if ((this.numbers.get(uri) ?? 0) > since) return;
    if (!(await this.next(withinMs, uri))) throw new Error(`no diagnostics for ${uri} within ${withinMs} ms`);
  }

  /** Resolves with the latest list for `uri` once one numbered after `since` satisfies `accept`; rejects after `withinMs`. */
  async matching(uri: string, accept: (diagnostics: Diagnostic[]) => boolean, since = 0, withinMs = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const latest = this.latest.get(uri);
      if (latest && (this.numbers.get(uri) ?? 0) > since && accept(latest)) return latest;
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.next(left, uri))) throw new Error(`no matching diagnostics for ${uri} within ${withinMs} ms`);
    }
  }

  /** Resolves true when the next list (for `uri`, or any document) arrives, false when none does within `withinMs`. */
  next(withinMs: number, uri?: string): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, withinMs);
      const waiter = (published: string) => {
        if (uri !== undefined && published !== uri) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(true);
      };
      this.waiters.add(waiter);
    });
  }
}
