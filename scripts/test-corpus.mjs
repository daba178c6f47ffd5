// Runs the corpus suites (test/corpus/) against a folder of real-world configs:
//   npm run test:corpus -- PATH
// The path reaches the tests as ORIGIN_DOCTOR_CORPUS; without it every corpus test fails loudly.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const corpus = process.argv[2];
if (!corpus || !existsSync(corpus)) {
  console.error(`test:corpus: give the corpus folder, e.g. npm run test:corpus -- ../shared/corpus (got: ${corpus ?? 'nothing'})`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', 'out/test/corpus/'], {
  stdio: 'inherit',
  env: { ...process.env, ORIGIN_DOCTOR_CORPUS: resolve(corpus) },
});
process.exit(result.status ?? 1);
