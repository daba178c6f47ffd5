import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository: this file runs as out/test/editor/paths.js. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

if (!existsSync(join(REPO_ROOT, 'package.json')) || JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).name !== 'origin-doctor') {
  throw new Error(`${REPO_ROOT} is not the origin-doctor repository: run the compiled file from out/test/editor/`);
}

/** The small broken origin the tests open (as a copy: quick fixes change files). */
export const EXAMPLES = join(REPO_ROOT, 'examples');
/** What `npm run package` builds and the UI test installs. */
export const VSIX = join(REPO_ROOT, 'origin-doctor.vsix');
/** The extension-host suite, compiled: VS Code loads it with `run()`. */
export const SUITE_INDEX = join(REPO_ROOT, 'out', 'test', 'suite', 'index.js');
/** The extension's identifier, as `publisher.name`. */
export const EXTENSION_ID = 'origin-doctor.origin-doctor';
