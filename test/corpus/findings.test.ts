import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveSettings } from '../../server/src/core/settings';
import { Engine } from '../../server/src/engine/engine';
import { scanFolder } from '../../server/src/engine/scan';
import { diskFileSystem } from '../../server/src/model/host';

/**
 * Every finding of every rule on the real-world corpus, one line each, compared with a snapshot that was
 * read line by line: a new finding is either a true problem of that file or a rule to fix.
 * Regenerate with UPDATE_SNAPSHOT=1 after reading the difference.
 */
const corpusRoot = process.env.ORIGIN_DOCTOR_CORPUS;
if (!corpusRoot || !existsSync(corpusRoot)) {
  throw new Error('ORIGIN_DOCTOR_CORPUS is not set or missing: corpus tests never skip (npm run test:corpus -- PATH).');
}
const SNAPSHOT = join(__dirname, '..', '..', '..', 'test', 'corpus', 'findings.snapshot.txt');

function findingsOf(format: string): string[] {
  const folder = join(corpusRoot!, format);
  // Fixed settings, so the snapshot does not depend on the nginx installed here.
  const engine = new Engine(diskFileSystem, resolveSettings({ nginx: { version: '1.22.1' } }), (message) => assert.fail(message));
  const { files } = scanFolder(diskFileSystem, folder);
  for (const file of files) engine.setFile(file.path, file.text, file.kind);
  return engine.analyze().findings.map((f) => {
    const file = f.file.slice(corpusRoot!.length + 1);
    const message = f.message.split(corpusRoot!).join('<corpus>');
    return `${file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${message}`;
  });
}

test('findings on the corpus match the reviewed snapshot', () => {
  const lines = ['nginx', 'php-fpm', 'cloudflared'].flatMap(findingsOf);
  const actual = `${lines.join('\n')}\n`;
  if (process.env.UPDATE_SNAPSHOT === '1') writeFileSync(SNAPSHOT, actual);
  assert.equal(actual, readFileSync(SNAPSHOT, 'utf8'));
  console.log(`${lines.length} findings on the corpus, as reviewed`);
});
