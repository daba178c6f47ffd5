import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { EditorTools } from './tools';

/** Flags for Debian's Chromium, headless in a container, that keep it from calling home. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-default-browser-check',
  '--metrics-recording-only',
  // Every name but 127.0.0.1 fails to resolve: the workbench and its webviews reach code-server only.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Requests that went anywhere but 127.0.0.1 (none are expected; a test asserts it). */
  foreignRequests: string[];
  /** What the page printed on its console as errors, for the failure report. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (playwright makes one) and HOME inside `dir`. */
export async function launchBrowser(tools: EditorTools, dir: string, viewport = { width: 1440, height: 900 }): Promise<BrowserSession> {
  const home = join(dir, 'browser-home');
  mkdirSync(home, { recursive: true });
  const browser = await chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
    timeout: 60_000,
  });
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: 'dark', locale: 'en-US' });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (/^(blob|data|about|vscode-webview|chrome-extension):/.test(url)) return;
    if (!/^(https?|wss?):\/\/127\.0\.0\.1(:\d+)?\//.test(url)) foreignRequests.push(url);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return {
    browser,
    context,
    page,
    foreignRequests,
    consoleErrors,
    close: async () => {
      await browser.close().catch(() => undefined);
    },
  };
}
