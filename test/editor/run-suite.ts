// npm run test:editor — the extension-host suite (test/suite/) in a real VS Code: code-server 4.139 (VS Code
// 1.139) started here with the smoke-test driver, a headless Chromium that opens the workbench on a copy of
// examples/ with this repository as the extension under development, and mocha inside the extension host.
// The mocha output comes back through codeAutomationLog, the exit code through codeAutomationExit.
//
// The tools install into .cache/editor-tools/ on first use (scripts/editor-tools.mjs). Environment:
//   ORIGIN_DOCTOR_SUITE_GREP=text     run only the tests whose title contains it
//   ORIGIN_DOCTOR_SUITE_TIMEOUT_S=600 the whole run's limit inside this runner
//   ORIGIN_DOCTOR_KEEP=1              keep the run's temporary folder (logs, user data) even when it passed
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchBrowser, type BrowserSession } from './browser';
import { CodeServer } from './code-server';
import { REPO_ROOT, SUITE_INDEX } from './paths';
import { editorTools } from './tools';
import { copyExamples, makeRunFolder } from './workspace';

/** test/suite/index.ts prints these: the counts as JSON after the prefix, and a line when mocha starts. */
const SUMMARY_PREFIX = 'origin-doctor-suite ';
const START_LINE = 'origin-doctor-suite-start';
const SUITE_TIMEOUT_MS = Number(process.env.ORIGIN_DOCTOR_SUITE_TIMEOUT_S ?? 600) * 1000;

interface Summary {
  passed: number;
  failed: number;
  pending: number;
  files: number;
  durationMs: number;
}

interface WorkbenchLog {
  relativePath: string;
  contents: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const startedAt = Date.now();
  for (const built of [join(REPO_ROOT, 'dist', 'client.js'), join(REPO_ROOT, 'dist', 'server.js'), SUITE_INDEX]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`node scripts/build.mjs && tsc -p .\` (npm run test:editor does)`);
  }
  const tools = await editorTools();
  console.log(`editor: code-server ${tools.codeServerVersion} under Node ${tools.nodeVersion}, ${tools.chromium} (tools ready in ${seconds(Date.now() - startedAt)})`);

  const run = makeRunFolder('editor');
  const workspace = copyExamples(run);
  const server = new CodeServer({ tools, dir: run.path, args: ['--vscode-option', 'enable-smoke-test-driver'] });
  let session: BrowserSession | undefined;
  let summary: Summary | undefined;
  const workbenchConsole: string[] = [];
  let passed = false;
  try {
    await server.start();
    console.log(`editor: code-server answers on ${server.url} (${seconds(Date.now() - startedAt)})`);
    session = await launchBrowser(tools, run.path);
    const page = session.page;

    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    let workbenchLogs: WorkbenchLog[] = [];
    let suiteStarted = false;
    // The extension host's console calls, as their arguments: a format string first, as console.log takes them.
    await page.exposeFunction('codeAutomationLog', (_level: string, message: unknown) => {
      const text = Array.isArray(message) ? format(...(message as unknown[])) : typeof message === 'string' ? message : JSON.stringify(message);
      for (const line of text.replace(/\n$/, '').split('\n')) {
        if (line === START_LINE) suiteStarted = true;
        else if (line.startsWith(SUMMARY_PREFIX)) summary = JSON.parse(line.slice(SUMMARY_PREFIX.length)) as Summary;
        // The workbench's own messages before the suite starts are shown only when the run fails.
        else if (suiteStarted) console.log(`  ${line}`);
        else workbenchConsole.push(line);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: WorkbenchLog[]) => {
      workbenchLogs = logs ?? [];
      finish(code);
    });

    const remote = (path: string) => `vscode-remote://${server.authority}${path}`;
    const payload = [['extensionDevelopmentPath', remote(REPO_ROOT)], ['extensionTestsPath', remote(SUITE_INDEX)]];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);

    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      finished,
      server.whenExited().then((exit) => { throw new Error(`code-server exited (${exit}) during the suite`); }),
      new Promise<never>((_, reject) => page.once('crash', () => reject(new Error('the workbench page crashed')))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the suite did not finish in ${SUITE_TIMEOUT_MS / 1000} s`)), SUITE_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));

    if (session.foreignRequests.length > 0) {
      console.log(`editor: the browser asked for addresses other than 127.0.0.1:\n  ${session.foreignRequests.join('\n  ')}`);
    }
    passed = code === 0 && summary !== undefined && summary.failed === 0 && summary.passed > 0 && session.foreignRequests.length === 0;
    if (!passed) {
      console.log(`editor: the extension host exited with ${code}`);
      for (const log of workbenchLogs.filter((l) => /exthost|extension/i.test(l.relativePath))) {
        console.log(`--- workbench log ${log.relativePath} (last 40 lines) ---\n${log.contents.split('\n').slice(-40).join('\n')}`);
      }
    }
  } catch (error) {
    console.log(`editor: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (!passed) {
      if (workbenchConsole.length > 0) console.log(`--- the workbench's console before the suite started (last 40 lines) ---\n${workbenchConsole.slice(-40).join('\n')}`);
      if (session) {
        const shots = join(REPO_ROOT, 'test', 'ui', 'screenshots');
        mkdirSync(shots, { recursive: true });
        const shot = join(shots, 'editor-suite-failure.png');
        if (await session.page.screenshot({ path: shot }).then(() => true, () => false)) console.log(`editor: screenshot of the workbench: ${shot}`);
        if (session.consoleErrors.length > 0) console.log(`--- browser console errors (last 20) ---\n${session.consoleErrors.slice(-20).join('\n')}`);
      }
      console.log(server.failureReport());
    }
    await session?.close();
    await server.stop();
    if (passed && !process.env.ORIGIN_DOCTOR_KEEP) run.remove();
    else console.log(`editor: this run's folder (logs, user data, workspace) is kept: ${run.path}`);
  }

  const counts = summary ?? { passed: 0, failed: 1, pending: 0, files: 0, durationMs: 0 };
  if (!summary && passed) passed = false;
  console.log(`editor: extension-host suite ${passed ? 'passed' : 'FAILED'}: ${counts.files} files, tests ${seconds(counts.durationMs)}, whole run ${seconds(Date.now() - startedAt)}`);
  // The closing line CI reads.
  console.log(`editor: ${counts.passed} passed, ${Math.max(counts.failed, passed ? 0 : 1)} failed${counts.pending ? `, ${counts.pending} skipped` : ''}`);
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.log(`editor: ${error instanceof Error ? error.message : String(error)}`);
    console.log('editor: 0 passed, 1 failed');
    process.exit(1);
  },
);
