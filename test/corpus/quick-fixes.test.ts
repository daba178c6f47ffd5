import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveSettings } from '../../server/src/core/settings';
import { Engine } from '../../server/src/engine/engine';
import { scanFolder } from '../../server/src/engine/scan';
import { diskFileSystem } from '../../server/src/model/host';
import { checkAllFixes, FixTally } from '../unit/robustness/fix-properties';

/**
 * Every quick fix of every finding on the real-world corpus, and every finding's "Disable … for this line", keeps
 * the properties of issue 12 (fix-properties.ts says exactly how): edits that do not overlap, no new syntax error nor
 * refused directive, and nothing changed by a second application. Each format's folder is one workspace, as
 * findings.test.ts builds it; the fixed texts live in the engine only, the corpus is never written.
 */
const corpusRoot = process.env.ORIGIN_DOCTOR_CORPUS;
if (!corpusRoot || !existsSync(corpusRoot)) {
  throw new Error('ORIGIN_DOCTOR_CORPUS is not set or missing: corpus tests never skip (npm run test:corpus -- PATH).');
}

/** The fixes the corpus's findings offer (findings.snapshot.txt), by rule. */
const EXPECTED_FIXES: Record<string, number> = {
  'nginx/unknown-directive': 1,
  'nginx/timeout-beyond-cloudflare': 11,
  'nginx/syntax': 1,
  'nginx/worker-capacity': 1,
  'nginx/upstream-buffer-too-small': 2,
  'php-fpm/max-requests-unbounded': 1,
  'cloudflared/localhost-service': 9,
  'cloudflared/https-origin-untrusted': 41,
  'cloudflared/invalid-service': 8,
  'cloudflared/ingress-catch-all-not-last': 3,
  'cloudflared/unknown-key': 1,
  'cloudflared/connect-timeout-short': 3,
  'cloudflared/ingress-catch-all-missing': 5,
  'cloudflared/invalid-hostname': 1,
};

test('every quick fix on the corpus: edits apart, no new load error, idempotent', () => {
  const tally = new FixTally();
  for (const format of ['nginx', 'php-fpm', 'cloudflared']) {
    // The settings of findings.snapshot.txt, whose findings these are.
    const engine = new Engine(diskFileSystem, resolveSettings({ nginx: { version: '1.22.1' } }), (message) => assert.fail(message));
    for (const file of scanFolder(diskFileSystem, join(corpusRoot, format)).files) engine.setFile(file.path, file.text, file.kind);
    checkAllFixes(engine, tally);
  }
  console.log(`${tally.fixes} quick fixes and ${tally.suppressions} "Disable … for this line" actions checked on the corpus:\n${tally.table()}`);
  assert.deepEqual(tally.fixesByRule(), EXPECTED_FIXES);
  assert.equal(tally.suppressions, 149, 'one per finding of findings.snapshot.txt');
});
