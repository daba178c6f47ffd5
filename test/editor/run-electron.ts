// npm run test:vscode — the same extension-host suite (test/suite/) with @vscode/test-electron: it downloads
// VS Code (into .vscode-test/) and runs the suite in a desktop window opened on a copy of examples/. For
// machines that can download VS Code; where only package registries are reachable, use npm run test:editor.
//   VSCODE_VERSION=1.91.0   the VS Code to test against (default: the latest stable)
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, SUITE_INDEX } from './paths';
import { copyExamples, makeRunFolder } from './workspace';

async function main(): Promise<number> {
  const run = makeRunFolder('vscode');
  const workspace = copyExamples(run);
  try {
    const code = await runTests({
      version: process.env.VSCODE_VERSION,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: SUITE_INDEX,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', `${run.path}/user-data`],
    });
    return code;
  } finally {
    run.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:vscode: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
