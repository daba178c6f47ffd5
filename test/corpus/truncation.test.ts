/**
 * Every corpus file cut short, as an editor sees a file while it is typed or a half-written file on disk: cut at
 * every 97th byte (97 is prime, so the cuts fall at every kind of place: inside words, quotes, multi-byte UTF-8
 * sequences, CRLF pairs), decoded as the server decodes a file (Node's UTF-8 decoding, which turns a cut
 * sequence into U+FFFD and keeps a byte order mark), parsed by its format's parser and analysed by the engine with
 * every rule. Nothing may throw, no rule may fail, and every range must lie inside the truncated text.
 *
 * Run: npm run test:corpus -- ../shared/corpus
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { resolveSettings } from '../../server/src/core/settings';
import { Engine } from '../../server/src/engine/engine';
import type { FileKind } from '../../server/src/model/classify';
import { diskFileSystem } from '../../server/src/model/host';
import { parseCloudflared } from '../../server/src/parsers/cloudflared/parser';
import { parseNginx } from '../../server/src/parsers/nginx/parser';
import { parseFpm } from '../../server/src/parsers/phpfpm/parser';
import { isKnownNginxDirective } from '../../server/src/reference/nginx';
import { assertFindingsInside, assertRangesInside, cloudflaredRanges, fpmRanges, nginxRanges, type LabelledRange } from '../unit/robustness/ranges';

const corpusRoot = process.env.ORIGIN_DOCTOR_CORPUS;
if (!corpusRoot || !existsSync(corpusRoot)) {
  throw new Error('ORIGIN_DOCTOR_CORPUS is not set or missing: corpus tests never skip (npm run test:corpus -- PATH).');
}

const CUT_EVERY = 97;

/** Each corpus folder holds one format; its files are read as that format, whatever their names. */
const FORMATS: readonly { folder: string; kind: FileKind; ranges: (text: string) => Iterable<LabelledRange> }[] = [
  { folder: 'nginx', kind: 'nginx', ranges: (text) => nginxRanges(parseNginx(text, { isDirectiveName: (name) => isKnownNginxDirective(name) })) },
  { folder: 'php-fpm', kind: 'php-fpm', ranges: (text) => fpmRanges(parseFpm(text)) },
  { folder: 'cloudflared', kind: 'cloudflared', ranges: (text) => cloudflaredRanges(parseCloudflared(text)) },
];

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

for (const format of FORMATS) {
  test(`${format.folder}: every file cut at every ${CUT_EVERY}th byte parses and is analysed without exception, every range inside`, (t) => {
    const folder = join(corpusRoot, format.folder);
    const files = filesUnder(folder);
    assert.ok(files.length > 0, `no files under ${folder}`);
    const ruleFailures: string[] = [];
    // Files an `include` names are read from the corpus on disk, as the CLI reads them, once per engine.
    const engine = new Engine(diskFileSystem, resolveSettings({ nginx: { version: '1.22.1' } }), (message) => ruleFailures.push(message));
    let cuts = 0;
    for (const path of files) {
      const bytes = readFileSync(path);
      for (let cut = CUT_EVERY; cut < bytes.length; cut += CUT_EVERY, cuts++) {
        const text = bytes.subarray(0, cut).toString('utf8');
        const where = ` (${format.folder}/${relative(folder, path)} cut at byte ${cut})`;
        assertRangesInside(text, format.ranges(text), where);
        engine.setFile(path, text, format.kind);
        assertFindingsInside(engine.analyze().findings, { [path]: text }, where);
        assert.deepEqual(ruleFailures, [], `a rule failed${where}`);
      }
      engine.deleteFile(path);
    }
    t.diagnostic(`${files.length} files, ${cuts} truncations`);
  });
}
