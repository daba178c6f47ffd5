import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** How often to try the lightbulb menu: an automatic code-action request can replace the manual one (seen 1 in 12). */
const QUICK_FIX_TRIES = 3;

/** What a person does in the workbench, by keyboard and mouse, waiting on what the screen shows. */
export class Workbench {
  private shotCount = 0;

  constructor(readonly page: Page, private readonly shotsDir: string) {
    mkdirSync(shotsDir, { recursive: true });
  }

  /** Saves `NN-name.png` of the whole window; returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(this.shotsDir, `${String(++this.shotCount).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Moves the mouse to the empty left of the title bar, where it raises no hover or tooltip. */
  async restMouse(): Promise<void> {
    await this.page.mouse.move(200, 12);
  }

  /** The editor showing the workspace file whose path ends with `relativePath`. */
  editor(relativePath: string): Locator {
    return this.page.locator(`.monaco-editor[data-uri$="/${relativePath}"]`).first();
  }

  /** A rendered line of that editor containing `text`. */
  line(relativePath: string, text: string): Locator {
    return this.editor(relativePath).locator('.view-lines .view-line', { hasText: text }).first();
  }

  squiggles(relativePath: string, severity: 'error' | 'warning' = 'error'): Locator {
    return this.editor(relativePath).locator(`.squiggly-${severity}`);
  }

  /** Ctrl+P, the file name, Enter on the row of `relativePath` once Quick Open lists it. */
  async openFile(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop()!;
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(name);
    const folder = relativePath.split('/').slice(0, -1).join('/');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: folder }).first();
    await row.waitFor();
    await row.click();
    await this.editor(relativePath).waitFor();
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor();
  }

  /**
   * Ctrl+Shift+P, the command's title, a click on its row. Tried again (Escape first) when the row does not
   * come: right after the window opens, the palette can open before the commands are all registered.
   * `exact`: the row whose label is `title` and nothing more ("Format Document", not "Format Document With...").
   */
  async runCommand(title: string, { tries = 3, exact = false }: { tries?: number; exact?: boolean } = {}): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const rows = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title });
    const row = (exact ? rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }) : rows).first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+Shift+P');
      try {
        // Inside the retry: a palette opened while a webview held the focus can close again before it is typed in.
        await input.waitFor({ timeout: 10_000 });
        await input.fill(`>${title}`, { timeout: 10_000 });
        await row.waitFor({ timeout: 10_000 });
        await row.click();
        await row.waitFor({ state: 'hidden' });
        await this.restMouse();
        return;
      } catch (error) {
        if (attempt >= tries) throw error;
        await this.page.keyboard.press('Escape');
        await input.waitFor({ state: 'hidden' });
      }
    }
  }

  /** Ctrl+G LINE:COLUMN, Enter: the cursor goes there (the status bar says so). */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor();
  }

  /**
   * Waits until the suggest widget lists `label` on its focused row (typing opens it; Ctrl+Space asks for it
   * when it does not come on its own), calls `whileOpen` (for a screenshot), presses Enter and waits for it to close.
   */
  async acceptSuggestion(label: string, whileOpen?: () => Promise<unknown>): Promise<void> {
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    const row = widget.locator('.monaco-list-row.focused', { hasText: label }).first();
    try {
      await row.waitFor({ timeout: 5_000 });
    } catch {
      await this.page.keyboard.press('Control+Space');
      await row.waitFor();
    }
    if (whileOpen) await whileOpen();
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
  }

  /**
   * Waits until the first rendered line of the editor of `relativePath` holding `text` starts with exactly
   * `width` columns of spaces (Monaco renders them as no-break spaces); a condition waited on in the page.
   */
  async waitForIndent(relativePath: string, text: string, width: number): Promise<void> {
    await this.line(relativePath, text).waitFor();
    await this.page.waitForFunction(
      ({ selector, text, width }) => {
        // Runs in the page; this project's TypeScript has no DOM types.
        const page = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } };
        const line = Array.from(page.document.querySelectorAll(selector)).map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).find((l) => l.includes(text));
        return line !== undefined && /^ */.exec(line)![0].length === width && line.trimStart().startsWith(text);
      },
      { selector: `.monaco-editor[data-uri$="/${relativePath}"] .view-lines .view-line`, text, width },
    );
  }

  /** Ctrl+S, and the active tab is no longer marked as modified: the file is written. */
  async save(name: string): Promise<void> {
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty', { hasText: name }).waitFor({ state: 'detached' });
  }

  /** Ctrl+Shift+M: the Problems panel. */
  async showProblems(): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor();
    return panel;
  }

  /** A marker's row in the Problems panel: its message and `origin-doctor(rule)`. */
  problem(rule: string, message?: string): Locator {
    const rows = this.page.locator('.markers-panel .monaco-list-row', { hasText: rule });
    return (message ? rows.filter({ hasText: message }) : rows).first();
  }

  /**
   * Moves the mouse onto `needle` in the first line of the editor of `relativePath` that holds it (the line's
   * characters are all of one width) and waits for the hover widget holding `text`.
   */
  async hoverOver(relativePath: string, needle: string, text: string): Promise<Locator> {
    // Monaco replaces a line's DOM when new diagnostics or tokens arrive; measure again on a line it replaced.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.hoverOnce(relativePath, needle, text);
      } catch (error) {
        if (attempt === 3 || !/not attached to the DOM|is not on screen/.test(String(error))) throw error;
      }
    }
  }

  private async hoverOnce(relativePath: string, needle: string, text: string): Promise<Locator> {
    // Wait for the rendered span that holds the needle, on screen: Monaco may still be re-rendering the line.
    const line = this.line(relativePath, needle).locator(':scope > span', { hasText: needle }).first();
    await line.waitFor();
    await line.scrollIntoViewIfNeeded();
    // Monaco renders spaces as no-break spaces.
    const content = ((await line.textContent()) ?? '').replace(/\u00a0/g, ' ');
    const box = await line.boundingBox();
    if (!box || !content.includes(needle)) throw new Error(`"${needle}" is not on screen in ${relativePath}`);
    const width = box.width / content.length;
    // Playwright's hover waits for the line to be stable and finds it again if the editor re-rendered it.
    await line.hover({ position: { x: (content.indexOf(needle) + Math.min(needle.length, 4) / 2) * width, y: box.height / 2 } });
    const hover = this.page.locator('.monaco-hover:not(.hidden)', { hasText: text }).first();
    await hover.waitFor();
    return hover;
  }

  async dismissHover(): Promise<void> {
    await this.restMouse();
    await this.page.keyboard.press('Escape');
    await this.page.locator('.monaco-hover:not(.hidden)').first().waitFor({ state: 'hidden' }).catch(() => undefined);
  }

  /**
   * The cursor on a flagged spot, the lightbulb, Ctrl+., and the menu row titled `title` focused; tried up to
   * three times when the menu does not come. Calls `whileOpen` with the menu shown (for a screenshot),
   * then presses Enter.
   */
  async applyQuickFix(title: string, whileOpen?: () => Promise<unknown>): Promise<void> {
    await this.page.locator('.lightBulbWidget').first().waitFor();
    let lastError: unknown;
    for (let attempt = 1; attempt <= QUICK_FIX_TRIES; attempt++) {
      await this.page.keyboard.press('Control+.');
      const row = this.page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
      try {
        await row.waitFor({ timeout: 5_000 });
        // Focus our row: the preferred fix is focused first; others are reached with the arrow keys.
        for (let step = 0; step < 10 && !/\bfocused\b/.test((await row.getAttribute('class')) ?? ''); step++) {
          await this.page.keyboard.press('ArrowDown');
        }
        if (whileOpen) await whileOpen();
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').first().waitFor({ state: 'hidden' });
        return;
      } catch (error) {
        lastError = error;
        await this.page.keyboard.press('Escape');
      }
    }
    throw new Error(`the quick fix menu never offered "${title}" in ${QUICK_FIX_TRIES} tries: ${String(lastError)}`);
  }

  /** The editor tab whose label is `label` (panels opened by commands included). */
  tab(label: string): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: label }).first();
  }

  /**
   * The content of the webview panel that shows `selector`: each webview is an iframe (the host) around
   * another (the content, `#active-frame`). Waits until one of the open webviews shows it.
   */
  async webview(selector: string): Promise<FrameLocator> {
    const hosts = this.page.locator('iframe.webview.ready');
    await hosts.first().waitFor({ state: 'attached' });
    const contents = Array.from({ length: await hosts.count() }, (_, i) => this.page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame'));
    await contents.map((content) => content.locator(selector)).reduce((a, b) => a.or(b)).first().waitFor();
    for (const content of contents) if (await content.locator(selector).first().isVisible()) return content;
    throw new Error(`no webview shows ${selector}`);
  }

  /**
   * Gives the group of the tab `label` the whole editor area (View: Toggle Maximize Editor Group), or gives
   * it back; `hiddenTab` is a tab of another group, hidden while maximized.
   */
  async toggleMaximized(label: string, hiddenTab: string, maximize: boolean): Promise<void> {
    await this.tab(label).click();
    await this.runCommand('View: Toggle Maximize Editor Group');
    await this.tab(hiddenTab).waitFor({ state: maximize ? 'hidden' : 'visible' });
  }

  /** Closes an editor tab with its close button, as a person does. */
  async closeTab(label: string): Promise<void> {
    const tab = this.tab(label);
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await tab.waitFor({ state: 'detached' });
  }
}
