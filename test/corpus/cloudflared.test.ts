import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { looksLikeCloudflaredConfig, parseCloudflared } from '../../server/src/parsers/cloudflared/parser';
import { cloudflaredKey } from '../../server/src/reference/cloudflared';
import { rule as yamlSyntax } from '../../server/src/rules/cloudflared/yaml-syntax';
import type { Finding } from '../../server/src/core/findings';
import { analyze, brief } from '../unit/engine-harness';
import { CLOUDFLARED_RULES } from '../unit/cloudflared/cloudflared-rules';
import { parsedFile, runRule } from '../unit/rule-harness';
import { assertRangesInside } from '../unit/cloudflared/ranges';

const corpusRoot = process.env.ORIGIN_DOCTOR_CORPUS;
if (!corpusRoot) {
  throw new Error('ORIGIN_DOCTOR_CORPUS is not set: point it at the corpus root (the folder holding cloudflared/). Corpus tests never skip.');
}
const folder = join(corpusRoot, 'cloudflared');
if (!existsSync(folder)) throw new Error(`No cloudflared folder in the corpus root ${corpusRoot}`);

const files = readdirSync(folder, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
  .sort()
  .map((path) => ({ name: relative(folder, path), text: readFileSync(path, 'utf8') }));

/** Valid for cloudflared's reader: one document that an independent parse reads without error or warning. */
function isValidYaml(text: string): boolean {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.length > 1) return false;
  if (documents.some((d) => d.errors.length > 0 || d.warnings.length > 0)) return false;
  try {
    parseYaml(text, { merge: true });
    return true;
  } catch {
    return false;
  }
}

/** The ingress rules as a plain parse of the YAML sees them, with nothing of the parser under test. */
function plainIngress(text: string): unknown[] {
  const data = parseYaml(text, { merge: true }) as { ingress?: unknown } | null;
  return Array.isArray(data?.ingress) ? data.ingress : [];
}

test('the corpus has cloudflared files', (t) => {
  assert.ok(files.length > 0, `no files under ${folder}`);
  t.diagnostic(`${files.length} files, ${files.filter((f) => f.name.endsWith('.ok.yml')).length} *.ok.yml`);
});

test('every file parses without throwing, with every range inside the file', () => {
  for (const file of files) assertRangesInside(file.text, parseCloudflared(file.text));
});

test('the typed view finds the ingress rules of every *.ok.yml and other valid file, as a plain parse does', (t) => {
  const okFiles = files.filter((f) => f.name.endsWith('.ok.yml'));
  const checked = files.filter((f) => isValidYaml(f.text));
  assert.ok(okFiles.length > 0);
  assert.ok(okFiles.every((f) => checked.includes(f)), 'every *.ok.yml is valid YAML');
  let rules = 0;
  for (const file of checked) {
    const expected = plainIngress(file.text) as Record<string, unknown>[];
    const { ingress } = parseCloudflared(file.text).config;
    assert.equal(ingress.length, expected.length, file.name);
    ingress.forEach((rule, i) => {
      const plain = expected[i] ?? {};
      assert.deepEqual(
        [rule.hostname?.value, rule.path?.value, rule.service?.value, rule.originRequestEntry?.value],
        [plain.hostname, plain.path, plain.service, plain.originRequest],
        `${file.name} rule ${i}`,
      );
    });
    if (okFiles.includes(file)) rules += ingress.length;
  }
  t.diagnostic(`${rules} ingress rules in ${okFiles.length} *.ok.yml files; ${checked.length} files checked in all`);
});

test('files that are valid YAML give no yaml-syntax finding', (t) => {
  const valid = files.filter((f) => isValidYaml(f.text));
  const reports = runRule(yamlSyntax, { cloudflared: valid.map((f) => parsedFile(f.name, f.text, parseCloudflared)) });
  assert.deepEqual(reports, []);
  t.diagnostic(`${valid.length} of ${files.length} files are valid YAML`);
});

test('every corpus file with content is recognised as a cloudflared config', (t) => {
  const withContent = files.filter((f) => parseYaml(f.text) !== null);
  for (const file of withContent) assert.ok(looksLikeCloudflaredConfig(file.text), file.name);
  t.diagnostic(`${withContent.length} files with content`);
});

test('every ingress-rule and originRequest key of the *.ok.yml files is known to the key reference', () => {
  for (const file of files.filter((f) => f.name.endsWith('.ok.yml'))) {
    const { config } = parseCloudflared(file.text);
    const originRequest = [...config.originRequest, ...config.ingress.flatMap((r) => r.originRequest)];
    for (const entry of originRequest) assert.ok(cloudflaredKey('originRequest', entry.key), `${file.name}: ${entry.key}`);
    for (const entry of config.ingress.flatMap((r) => r.entries)) {
      assert.ok(cloudflaredKey('ingress-rule', entry.key), `${file.name}: ${entry.key}`);
    }
  }
});

// ---- rules ----------------------------------------------------------------------------------------------------

/** Every finding of every cloudflared rule on one corpus file, read as a cloudflared config. */
function findingsOn(file: { name: string; text: string }): Finding[] {
  const id = `/corpus/${file.name}`;
  return analyze({ [id]: file.text }, {}, { rules: CLOUDFLARED_RULES, kinds: { [id]: 'cloudflared' } });
}

function errorsOn(file: { name: string; text: string }): string[] {
  return findingsOn(file).filter((f) => f.severity === 'error').map((f) => `${brief(f)} ${f.message}`);
}

test('every *.wantErr.yml with content gets an error-severity finding', (t) => {
  // The empty TestParseIngress case is refused by ParseIngress alone: `cloudflared tunnel run` falls back to --url or 503.
  const wantErr = files.filter((f) => f.name.endsWith('.wantErr.yml') && f.text.trim() !== '');
  assert.ok(wantErr.length > 0);
  for (const file of wantErr) assert.ok(errorsOn(file).length > 0, file.name);
  t.diagnostic(`${wantErr.length} *.wantErr.yml files with content, each refused`);
});

test('no *.ok.yml gets an error-severity finding', (t) => {
  const ok = files.filter((f) => f.name.endsWith('.ok.yml'));
  for (const file of ok) assert.deepEqual(errorsOn(file), [], file.name);
  t.diagnostic(`${ok.length} *.ok.yml files without an error`);
});

test('the findings on the other corpus files, for reading', (t) => {
  const others = files.filter((f) => !f.name.endsWith('.ok.yml') && !f.name.endsWith('.wantErr.yml'));
  for (const file of others) {
    for (const finding of findingsOn(file)) t.diagnostic(`${brief(finding)} ${finding.message}`);
  }
});
