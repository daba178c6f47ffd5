import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../../server/src/core/findings';
import { LineIndex } from '../../../server/src/core/text';
import { workspace } from '../engine-harness';

/**
 * Every rule on damaged configs: the examples with characters dropped, doubled or swapped, and token soups.
 * No rule may throw (the harness turns a caught rule error into a failure) and every range must lie inside its
 * document. A fixed seed keeps the cases the same on every run.
 */
const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples');
const SOURCES: Record<string, string> = {
  '/f/nginx/nginx.conf': readFileSync(join(EXAMPLES, 'nginx', 'nginx.conf'), 'utf8'),
  '/f/nginx/sites-enabled/shop.conf': readFileSync(join(EXAMPLES, 'nginx', 'sites-enabled', 'shop.conf'), 'utf8'),
  '/f/php-fpm/pool.d/www.conf': readFileSync(join(EXAMPLES, 'php-fpm', 'pool.d', 'www.conf'), 'utf8'),
  '/f/cloudflared/config.yml': readFileSync(join(EXAMPLES, 'cloudflared', 'config.yml'), 'utf8'),
};
const TOKENS = ['server', 'location', '{', '}', ';', '"', "'", '\\', '$', '${x}', 'proxy_pass', 'http://localhost:80', 'fastcgi_pass',
  'unix:/run/php.sock', 'listen', '443 ssl', '#', '\n', '\r\n', ' ', '\t', '[www]', '=', 'pm', 'ingress:', '- service:', 'https://127.0.0.1:80',
  'include', '*.conf', 'upstream', 'keepalive 16', 'é', '😀', '\uFEFF'];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function mutate(text: string, next: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (result.length + 1));
    const kind = Math.floor(next() * 3);
    if (kind === 0) result = result.slice(0, at) + result.slice(at + 1);
    else if (kind === 1) result = result.slice(0, at) + result.charAt(at) + result.slice(at);
    else result = result.slice(0, at) + TOKENS[Math.floor(next() * TOKENS.length)] + result.slice(at);
  }
  return result;
}

function assertInside(finding: Finding, texts: Record<string, string>): void {
  const text = texts[finding.file];
  assert.ok(text !== undefined, `${finding.rule} reported on a file outside the workspace: ${finding.file}`);
  const lines = new LineIndex(text);
  for (const position of [finding.range.start, finding.range.end]) {
    assert.ok(position.line >= 0 && position.line < lines.lineCount, `${finding.rule}: line ${position.line} outside ${finding.file}`);
    assert.ok(position.character >= 0 && position.character <= lines.lineText(position.line).length, `${finding.rule}: character ${position.character} outside line ${position.line}`);
  }
  assert.ok(finding.range.start.line < finding.range.end.line || finding.range.start.character <= finding.range.end.character, `${finding.rule}: range ends before it starts`);
}

test('400 damaged origins: no rule throws, every range lies inside its document', () => {
  const next = random(20261125);
  for (let round = 0; round < 400; round++) {
    const texts: Record<string, string> = {};
    for (const [path, text] of Object.entries(SOURCES)) texts[path] = round % 10 === 9 ? Array.from({ length: 40 }, () => TOKENS[Math.floor(next() * TOKENS.length)]).join('') : mutate(text, next);
    const { engine } = workspace(texts, {}, { kinds: { '/f/nginx/nginx.conf': 'nginx', '/f/nginx/sites-enabled/shop.conf': 'nginx', '/f/php-fpm/pool.d/www.conf': 'php-fpm', '/f/cloudflared/config.yml': 'cloudflared' } });
    for (const finding of engine.analyze().findings) {
      assertInside(finding, texts);
      for (const fix of finding.fixes ?? []) for (const edit of fix.edits) assertInside({ ...finding, file: edit.file, range: edit.range }, texts);
    }
  }
});
