// npm run test:ui — Origin Doctor as a person meets it: the packaged extension (origin-doctor.vsix, from
// `npm run package`) installed into code-server with --install-extension, the examples folder (a temporary
// copy) opened in the workbench in headless Chromium, and the keyboard and mouse doing the rest. Each step
// saves a screenshot under test/ui/screenshots/ (git-ignored).
//   ORIGIN_DOCTOR_UPDATE_DOCS_IMAGES=1  also write the README's pictures into docs/images/
//   ORIGIN_DOCTOR_KEEP=1                keep the run's temporary folder (logs, user data) even when it passed
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type BrowserSession } from '../editor/browser';
import { CodeServer } from '../editor/code-server';
import { REPO_ROOT, VSIX } from '../editor/paths';
import { TestOrigin } from '../editor/test-origin';
import { editorTools } from '../editor/tools';
import { copyExamples, makeRunFolder, type RunFolder } from '../editor/workspace';
import { Workbench } from './workbench';

const SHOTS = join(REPO_ROOT, 'test', 'ui', 'screenshots');
const DOCS_IMAGES = join(REPO_ROOT, 'docs', 'images');
const UPDATE_DOCS_IMAGES = process.env.ORIGIN_DOCTOR_UPDATE_DOCS_IMAGES === '1';
/** One step: opening a file and waiting for the language server takes seconds; a minute means it is stuck. */
const STEP_TIMEOUT_MS = 90_000;
/** Playwright's wait for one selector. */
const WAIT_MS = 30_000;

/** The 1-based line of the first line of the copied example `file` that holds `text`: the examples change. */
let workspace = '';
function lineOf(file: string, text: string): number {
  const index = readFileSync(join(workspace, ...file.split('/')), 'utf8').split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`examples/${file} has no line with ${JSON.stringify(text)} any more: update test/ui/workbench.test.ts`);
  return index + 1;
}

const NGINX_CONF = 'nginx/nginx.conf';
const SHOP_CONF = 'nginx/sites-enabled/shop.conf';
const POOL = 'php-fpm/pool.d/www.conf';
const TUNNEL = 'cloudflared/config.yml';

describe('Origin Doctor in the workbench (code-server, the packaged .vsix)', { timeout: 15 * 60_000 }, () => {
  let run: RunFolder;
  let server: CodeServer;
  let session: BrowserSession | undefined;
  let bench: Workbench;
  let failed = false;
  let finished = false;
  // The shop's origin, reached directly as `--connect-to` would: nginx answers 502, as it does while the pool
  // it passes PHP to cannot start (www.conf's mistakes).
  const origin = new TestOrigin((request) => request.headers.host === 'shop.example.com');
  let originPort = 0;

  /** A step of the scenario: on failure, a screenshot of the window at that moment. */
  function step(name: string, body: () => Promise<void>): void {
    it(name, { timeout: STEP_TIMEOUT_MS }, async () => {
      if (failed) assert.fail('an earlier step failed; this one starts from where that one left the window');
      try {
        await body();
      } catch (error) {
        failed = true;
        const shot = await bench?.screenshot('FAILED').catch(() => undefined);
        if (shot) console.log(`screenshot of the failure: ${shot}`);
        throw error;
      }
    });
  }

  /** A picture for the README: a part of the window, into docs/images/ when asked to update them. */
  async function docsImage(name: string, clip: { x: number; y: number; width: number; height: number }): Promise<void> {
    if (!UPDATE_DOCS_IMAGES) return;
    mkdirSync(DOCS_IMAGES, { recursive: true });
    await bench.page.screenshot({ path: join(DOCS_IMAGES, name), clip });
  }

  before(async () => {
    const startedAt = Date.now();
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: npm run package (npm run test:ui does it first)`);
    const distAge = statSync(join(REPO_ROOT, 'dist', 'client.js')).mtimeMs;
    if (statSync(VSIX).mtimeMs + 60_000 < distAge) console.log(`note: ${VSIX} is older than dist/: npm run package makes a fresh one`);
    mkdirSync(SHOTS, { recursive: true });
    for (const old of readdirSync(SHOTS).filter((name) => /^\d\d-.*\.png$/.test(name))) rmSync(join(SHOTS, old));

    const tools = await editorTools();
    run = makeRunFolder('ui');
    workspace = copyExamples(run);
    server = new CodeServer({ tools, dir: run.path, settings: { 'workbench.editor.enablePreview': false } });
    const installed = await server.installExtension(VSIX);
    console.log(`# ${installed.split('\n').pop()}`);
    await server.start();
    originPort = await origin.start();
    session = await launchBrowser(tools, run.path, { width: 1280, height: 800 });
    session.page.setDefaultTimeout(WAIT_MS);
    bench = new Workbench(session.page, SHOTS);
    await session.page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    console.log(`# code-server ${tools.codeServerVersion} answers; ${VSIX.slice(REPO_ROOT.length + 1)} installed into it; setup took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    if (failed || !finished) {
      if (session?.consoleErrors.length) console.log(`--- browser console errors (last 20) ---\n${session.consoleErrors.slice(-20).join('\n')}`);
      if (server) console.log(server.failureReport());
    }
    await session?.close();
    await server?.stop();
    await origin.stop();
    if (run && !failed && finished && !process.env.ORIGIN_DOCTOR_KEEP) run.remove();
    else if (run) console.log(`this run's folder (logs, user data, workspace) is kept: ${run.path}`);
  });

  step('the workbench opens the examples folder, and the packaged extension is listed as installed', async () => {
    const page = bench.page;
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'nginx' }).first().waitFor();
    // The Extensions view (Ctrl+Shift+X): without a marketplace it lists what is installed.
    await page.keyboard.press('Control+Shift+X');
    const listed = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Origin Doctor' }).first();
    await listed.waitFor();
    assert.match(await listed.innerText(), /Origin Doctor/);
    await bench.screenshot('extension-installed');
    await page.keyboard.press('Control+Shift+E');
    await page.locator('.explorer-folders-view').waitFor();
  });

  step('an nginx config: squiggles under its mistakes, and Problems entries with our rule ids', async () => {
    await bench.openFile(NGINX_CONF);
    await bench.squiggles(NGINX_CONF).nth(1).waitFor();
    await bench.showProblems();
    // The Problems panel shows the active file's entries (problems.autoReveal); the others are further down.
    await bench.problem('nginx/unknown-directive', 'unknown directive "client_max_body_szie"').waitFor();
    await bench.problem('nginx/include-not-found').waitFor();
    await bench.screenshot('nginx-squiggles-and-problems');
  });

  step('hovering the flagged line shows the explanation and the rule id', async () => {
    await bench.page.keyboard.press('Control+1');
    const hover = await bench.hoverOver(NGINX_CONF, 'client_max_body_szie', 'unknown directive');
    // The hover offers the fix too, once the code actions are in.
    await hover.getByText(/Quick Fix/).first().waitFor();
    const text = await hover.innerText();
    assert.match(text, /nginx -t fails/);
    assert.match(text, /Did you mean "client_max_body_size"\?/);
    assert.match(text, /nginx\/unknown-directive/);
    await bench.screenshot('nginx-hover');
    await bench.dismissHover();
  });

  step('the quick fix from the lightbulb menu (Ctrl+.) changes the text and the marker goes away', async () => {
    await bench.page.keyboard.press('Control+1');
    const errorsBefore = await bench.squiggles(NGINX_CONF).count();
    await bench.goToLine(lineOf(NGINX_CONF, 'client_max_body_szie'), 10);
    await bench.applyQuickFix('Change to "client_max_body_size"', async () => {
      await bench.screenshot('nginx-quick-fix-menu');
      const editor = await bench.page.locator('.part.editor').boundingBox();
      if (editor) await docsImage('quick-fix.png', { x: editor.x, y: editor.y, width: Math.min(editor.width, 900), height: Math.min(editor.height, 520) });
    });
    await bench.line(NGINX_CONF, 'client_max_body_size 20m;').waitFor();
    assert.equal(await bench.line(NGINX_CONF, 'client_max_body_szie').count(), 0);
    await bench.problem('nginx/unknown-directive').waitFor({ state: 'detached' });
    await bench.squiggles(NGINX_CONF).nth(errorsBefore - 1).waitFor({ state: 'detached' });
    // The include that is not there stays flagged.
    assert.equal(await bench.squiggles(NGINX_CONF).count(), errorsBefore - 1);
    await bench.problem('nginx/include-not-found').waitFor();
    await bench.screenshot('nginx-after-quick-fix');
  });

  step('a PHP-FPM pool: flagged in the PHP-FPM language, and fixed from the lightbulb too', async () => {
    await bench.openFile(POOL);
    await bench.page.locator('.statusbar-item', { hasText: 'PHP-FPM' }).first().waitFor();
    await bench.squiggles(POOL).nth(1).waitFor();
    await bench.problem('php-fpm/hash-comment', '`#` does not start a comment').waitFor();
    await bench.problem('php-fpm/unknown-directive', "did you mean 'pm.max_requests'").waitFor();
    await bench.screenshot('php-fpm-pool');
    await bench.page.keyboard.press('Control+1');
    await bench.goToLine(lineOf(POOL, 'pm.max_request ='), 4);
    await bench.applyQuickFix("Change to 'pm.max_requests'");
    await bench.line(POOL, 'pm.max_requests = 500').waitFor();
    await bench.problem('php-fpm/unknown-directive').waitFor({ state: 'detached' });
    await bench.problem('php-fpm/hash-comment').waitFor();
    await bench.screenshot('php-fpm-after-quick-fix');
  });

  step('a cloudflared config: the broken YAML is flagged, with the reason on hover', async () => {
    await bench.openFile(TUNNEL);
    await bench.squiggles(TUNNEL).first().waitFor();
    await bench.problem('cloudflared/yaml-syntax', 'Invalid YAML').waitFor();
    await bench.page.keyboard.press('Control+1');
    const hover = await bench.hoverOver(TUNNEL, '- service: http_status:404', 'Invalid YAML');
    assert.match(await hover.innerText(), /cloudflared\/yaml-syntax/);
    await bench.screenshot('cloudflared-config');
    await bench.dismissHover();
  });

  step('Origin Doctor: Probe Origin from the command palette, and the verdict in its panel', async () => {
    const before = origin.requests.length;
    // The panel at the bottom away (Ctrl+J), so the report gets the height of the window.
    await bench.page.keyboard.press('Control+J');
    await bench.page.locator('.markers-panel').waitFor({ state: 'hidden' });
    await bench.runCommand('Origin Doctor: Probe Origin');
    const input = bench.page.locator('.quick-input-widget .quick-input-box input');
    await bench.page.locator('.quick-input-widget', { hasText: 'Probe Origin (1/2): URL' }).waitFor();
    // The picker offers the URLs the configs name (shop.example.com from the tunnel and the nginx server);
    // what is typed is offered too when it is none of them.
    await input.fill('http://shop.example.com/');
    await bench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'http://shop.example.com/' }).first().click();
    await bench.page.locator('.quick-input-widget', { hasText: 'Probe Origin (2/2): origin address' }).waitFor();
    await input.fill(`127.0.0.1:${originPort}`);
    await bench.page.keyboard.press('Enter');

    await bench.tab('Probe: shop.example.com').waitFor();
    const report = await bench.webview('section.verdict h2');
    // The page is rendered with the whole result: its verdicts are all there once one is.
    const verdicts = (await report.locator('section.verdict').allInnerTexts()).join('\n---\n');
    assert.match(verdicts, /^origin-5xx\n/, `the panel's verdict:\n${verdicts}`);
    assert.match(verdicts, /The origin itself answered 502 \(server: nginx\/1\.22\.1\), not Cloudflare/);
    assert.match(await report.locator('header .badge').innerText(), /problem/);
    const seen = origin.requests.slice(before);
    assert.deepEqual(seen.map((r) => `${r.method} ${r.headers.host}`), ['HEAD shop.example.com', 'GET shop.example.com']);
    // Read it as a person would: the panel given the whole editor area.
    await bench.toggleMaximized('Probe: shop.example.com', 'config.yml', true);
    await bench.screenshot('probe-origin-verdict');
    const area = await bench.page.locator('.part.editor').boundingBox();
    if (area) await docsImage('probe.png', { x: area.x, y: area.y, width: area.width, height: Math.min(area.height, 600) });
    await bench.toggleMaximized('Probe: shop.example.com', 'config.yml', false);
  });

  step('Origin Doctor: Show Origin Map, and a click on a step opens its line', async () => {
    await bench.closeTab('Probe: shop.example.com');
    await bench.runCommand('Origin Doctor: Show Origin Map');
    await bench.tab('Origin Map').waitFor();
    const map = await bench.webview('ul.tree');
    for (const text of ['shop.example.com', 'http://127.0.0.1:80', 'server shop.example.com [listen 80]', 'proxy_pass → upstream api_backend', 'pool [www]']) {
      await map.locator('li', { hasText: text }).first().waitFor();
    }
    await bench.toggleMaximized('Origin Map', 'config.yml', true);
    await bench.screenshot('origin-map');
    const area = await bench.page.locator('.part.editor').boundingBox();
    if (area) await docsImage('origin-map.png', { x: area.x, y: area.y, width: Math.min(area.width, 860), height: Math.min(area.height, 440) });
    await bench.toggleMaximized('Origin Map', 'config.yml', false);

    await map.locator('a', { hasText: 'server shop.example.com [listen 80]' }).click();
    await bench.editor(SHOP_CONF).waitFor();
    await bench.page.locator('.tabs-container .tab.active', { hasText: 'shop.conf' }).first().waitFor();
    await bench.page.locator('.statusbar-item', { hasText: `Ln ${lineOf(SHOP_CONF, 'server {')}, Col 1` }).first().waitFor();
    // The site's own mistakes, under their squiggles and in Problems.
    await bench.squiggles(SHOP_CONF).nth(1).waitFor();
    await bench.showProblems();
    await bench.problem('nginx/syntax', 'missing ";"').waitFor();
    await bench.problem('nginx/directive-not-allowed-here', 'not allowed here (in server)').waitFor();
    await bench.screenshot('origin-map-opened-shop-conf');
  });

  step('completing a directive in a location, then Format Document re-indents what was typed badly', async () => {
    const page = bench.page;
    const file = join(workspace, ...SHOP_CONF.split('/'));
    const original = readFileSync(file, 'utf8');
    await bench.openFile(SHOP_CONF);
    // The missing `;` first: the formatter leaves a file with syntax errors alone.
    await bench.goToLine(lineOf(SHOP_CONF, 'listen 80'));
    await page.keyboard.press('End');
    await page.keyboard.type(';');
    await bench.line(SHOP_CONF, 'listen 80;').waitFor();
    await bench.showProblems();
    await bench.problem('nginx/syntax').waitFor({ state: 'detached' });

    // A new line in `location /api/`, the start of a directive, and the suggestion accepted with Enter.
    await page.keyboard.press('Control+1');
    await bench.goToLine(lineOf(SHOP_CONF, 'proxy_set_header Host $host;'));
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('proxy_read_t');
    await bench.acceptSuggestion('proxy_read_timeout', () => bench.screenshot('nginx-completion'));
    await bench.line(SHOP_CONF, 'proxy_read_timeout').waitFor();
    await page.keyboard.type(' 60s;');
    await bench.line(SHOP_CONF, 'proxy_read_timeout 60s;').waitFor();

    // Wrong indentation on purpose: the new line to the margin, the one two above indented one step too far.
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await bench.waitForIndent(SHOP_CONF, 'proxy_read_timeout 60s;', 0);
    await bench.goToLine(lineOf(SHOP_CONF, 'proxy_http_version 1.1;'));
    await page.keyboard.press('Home');
    await page.keyboard.press('Tab');
    await bench.waitForIndent(SHOP_CONF, 'proxy_http_version 1.1;', 12);
    await bench.screenshot('nginx-before-format');

    await bench.runCommand('Format Document', { exact: true });
    await bench.waitForIndent(SHOP_CONF, 'proxy_read_timeout 60s;', 8);
    await bench.waitForIndent(SHOP_CONF, 'proxy_http_version 1.1;', 8);
    await bench.screenshot('nginx-after-format');
    // What the file holds once saved (the workspace is a copy): the example's own layout, with the two edits.
    await bench.save('shop.conf');
    const expected = original
      .replace(/^(\s*listen 80)$/m, '$1;')
      .replace(/^(\s*)(proxy_set_header Host \$host;)$/m, '$1$2\n$1proxy_read_timeout 60s;');
    assert.notEqual(expected, original);
    assert.equal(readFileSync(file, 'utf8'), expected);
  });

  step('nothing but code-server on 127.0.0.1 was asked for anything', async () => {
    assert.deepEqual(session?.foreignRequests, []);
    finished = true;
  });
});
