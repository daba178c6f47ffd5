// The extension-host suite: VS Code loads this file (extensionTestsPath) in the extension host of a window
// opened on a copy of examples/ and calls run(). Two runners start it: test/editor/run-suite.ts inside
// code-server here (npm run test:editor), test/editor/run-electron.ts with @vscode/test-electron
// (npm run test:vscode) where VS Code can be downloaded.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** The line the runners read the counts from: the prefix, then JSON. */
export const SUMMARY_PREFIX = 'origin-doctor-suite ';
/** Printed when mocha starts: before it, the console holds only the workbench's own messages. */
export const START_LINE = 'origin-doctor-suite-start';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000, slow: 5_000 });
  // The grep comes from the runners (ORIGIN_DOCTOR_SUITE_GREP), to run a part while working on it.
  const grep = process.env.ORIGIN_DOCTOR_SUITE_GREP;
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  const startedAt = Date.now();
  console.log(START_LINE);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const summary = { passed: stats?.passes ?? 0, failed: failures, pending: stats?.pending ?? 0, files: files.length, durationMs: Date.now() - startedAt };
        console.log(`${SUMMARY_PREFIX}${JSON.stringify(summary)}`);
        if (failures > 0) reject(new Error(`${failures} of the extension-host tests failed`));
        else if (summary.passed === 0) reject(new Error('no extension-host test ran'));
        else resolve();
      });
    } catch (error) {
      reject(error);
    }
  });
}
