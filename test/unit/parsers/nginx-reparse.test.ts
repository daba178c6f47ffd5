import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LineIndex } from '../../../server/src/core/text';
import type { NginxParseResult } from '../../../server/src/parsers/nginx/ast';
import { parseNginx, shiftedFrom } from '../../../server/src/parsers/nginx/parser';
import { reparseNginx } from '../../../server/src/parsers/nginx/reparse';
import { isKnownNginxDirective } from '../../../server/src/reference/nginx';
import { plain } from './plain-parse';

const OPTIONS = { isDirectiveName: (name: string) => isKnownNginxDirective(name) };

const CONFIG = [
  'http {',
  '    # first site',
  '    server {',
  '        listen 80;',
  '        location / {',
  '            proxy_pass http://127.0.0.1:3000;',
  '        }',
  '    }',
  '    server {',
  '        listen 81;',
  '        location /api/ {',
  '            proxy_pass http://127.0.0.1:3001;',
  '            # api',
  '        }',
  '        root /srv;',
  '    }',
  '}',
  '',
].join('\n');

function parsed(text: string) {
  return { text, lines: new LineIndex(text), parse: parseNginx(text, OPTIONS) };
}

/** The text with `inserted` put at `line`:`character` in place of `removed` characters. */
function edited(text: string, line: number, character: number, inserted: string, removed = 0): string {
  const offset = new LineIndex(text).offsetAt({ line, character });
  return text.slice(0, offset) + inserted + text.slice(offset + removed);
}

function reparsedAndFull(text: string, after: string): { re: NginxParseResult; full: NginxParseResult } {
  const re = reparseNginx(parsed(text), after, OPTIONS);
  const full = parseNginx(after, OPTIONS);
  assert.deepEqual(plain(re), plain(full));
  return { re, full };
}

test('reparse: an edit inside a location reads only that location again; the rest are the same objects', () => {
  const before = parsed(CONFIG);
  const after = edited(CONFIG, 11, 23, 'x');
  const re = reparseNginx(before, after, OPTIONS);
  assert.deepEqual(plain(re), plain(parseNginx(after, OPTIONS)));
  const [oldHttp] = before.parse.directives;
  const [newHttp] = re.directives;
  assert.notEqual(newHttp, oldHttp);
  const [oldFirst, oldSecond] = oldHttp.block!.children;
  const [newFirst, newSecond] = newHttp.block!.children;
  assert.equal(newFirst, oldFirst, 'the untouched server is reused');
  assert.notEqual(newSecond, oldSecond);
  assert.equal(newSecond.block!.children[0], oldSecond.block!.children[0], "the edited server's listen is reused");
  assert.equal(newSecond.block!.children[2], oldSecond.block!.children[2], "the edited server's root is reused");
  assert.equal(newSecond.block!.children[1].block!.children[0].args[0].value, 'xhttp://127.0.0.1:3001');
  assert.equal(re.comments[0], before.parse.comments[0], 'a comment outside the block is kept');
});

test("reparse: an edit on a block's first line reads that block again and stops at its }", () => {
  const before = parsed(CONFIG);
  const re = reparseNginx(before, edited(CONFIG, 8, 0, ' '), OPTIONS);
  assert.deepEqual(plain(re), plain(parseNginx(edited(CONFIG, 8, 0, ' '), OPTIONS)));
  const [oldFirst] = before.parse.directives[0].block!.children;
  assert.equal(re.directives[0].block!.children[0], oldFirst, 'the server before it is reused');
});

test('reparse: inside a block left open (being typed), an edit reads only the statements around it', () => {
  // The http block and the second server lack their `}`: both run to the end of the file.
  const open = CONFIG.replace('        root /srv;\n    }\n}\n', '        root /srv;\n');
  const before = parsed(open);
  assert.equal(before.parse.errors[0].message, 'unexpected end of file, expecting "}"');
  const after = edited(open, 5, 23, 'x');
  const re = reparseNginx(before, after, OPTIONS);
  assert.deepEqual(plain(re), plain(parseNginx(after, OPTIONS)));
  const [oldFirst, oldSecond] = before.parse.directives[0].block!.children;
  const [newFirst, newSecond] = re.directives[0].block!.children;
  assert.notEqual(newFirst, oldFirst);
  assert.equal(newSecond, oldSecond, 'the server after the edited one is reused');
  assert.equal(re.errors[0], before.parse.errors[0], 'the error at the end of the file is kept');
  // In the open server itself, and where an edit closes or opens a block, it still reads what a full parse reads.
  const inOpen = reparseNginx(before, edited(open, 11, 23, 'x'), OPTIONS);
  assert.deepEqual(plain(inOpen), plain(parseNginx(edited(open, 11, 23, 'x'), OPTIONS)));
  assert.equal(inOpen.directives[0].block!.children[0], oldFirst, 'the server before the edited one is reused');
  reparsedAndFull(open, edited(open, 13, 8, '}'));
  reparsedAndFull(open, edited(open, 14, 17, '}'));
  reparsedAndFull(open, edited(open, 5, 12, '{'));
  reparsedAndFull(open, edited(open, 10, 23, '', 1));
});

test('reparse: a line break added or removed reads only the statements around it; what follows is a copy moved down', () => {
  const before = parsed(CONFIG);
  const [oldFirst, oldSecond] = before.parse.directives[0].block!.children;
  for (const [after, lines] of [[edited(CONFIG, 5, 23, '\n'), 1], [edited(CONFIG, 5, 23, '\n\n  x;\n'), 3], [edited(CONFIG, 3, 18, '', 1), -1]] as const) {
    const re = reparseNginx(before, after, OPTIONS);
    assert.deepEqual(plain(re), plain(parseNginx(after, OPTIONS)));
    const [newFirst, newSecond] = re.directives[0].block!.children;
    assert.notEqual(newFirst, oldFirst);
    assert.equal(shiftedFrom(newSecond), oldSecond, 'the server after the edit is the one before, moved down');
    assert.equal(newSecond.range.start.line, oldSecond.range.start.line + lines);
    assert.equal(re.comments[1].range.start.line, before.parse.comments[1].range.start.line + lines, 'a comment after it moves too');
    assert.equal(re.comments[0], before.parse.comments[0], 'a comment before it is kept');
  }
  assert.deepEqual(plain(before.parse), plain(parsed(CONFIG).parse), 'the earlier parse is left as it was');
  // A CR takes the whole reading again: a lone one breaks a line too. The result is the same.
  reparsedAndFull(CONFIG, edited(CONFIG, 5, 23, '\r\n'));
});

test('reparse: the earlier parse is left as it was', () => {
  const before = parsed(CONFIG);
  const snapshot = plain(before.parse);
  reparseNginx(before, edited(CONFIG, 5, 12, ' '), OPTIONS);
  assert.deepEqual(plain(before.parse), snapshot);
});

test('reparse: an error inside the block is replaced, one outside it is kept', () => {
  const broken = edited(CONFIG, 14, 17, '', 1).replace('listen 80;', 'listen 80');
  const { re } = reparsedAndFull(broken, edited(broken, 12, 12, '}'));
  assert.ok(re.errors.some((e) => e.kind === 'missing-semicolon'));
});

test('reparse: edits that change the structure or the lines give what a full parse gives', () => {
  reparsedAndFull(CONFIG, edited(CONFIG, 5, 12, '}'));
  reparsedAndFull(CONFIG, edited(CONFIG, 5, 12, '{'));
  reparsedAndFull(CONFIG, edited(CONFIG, 5, 12, '"'));
  reparsedAndFull(CONFIG, edited(CONFIG, 5, 12, '#'));
  reparsedAndFull(CONFIG, edited(CONFIG, 5, 12, '\n'));
  reparsedAndFull(CONFIG, edited(CONFIG, 6, 8, '', 1));
  reparsedAndFull(CONFIG, edited(CONFIG, 4, 19, 'x'));
  reparsedAndFull(CONFIG, edited(CONFIG, 0, 0, ' '));
  const crlf = CONFIG.replace(/\n/g, '\r\n');
  reparsedAndFull(crlf, edited(crlf, 5, 12, ' '));
  reparsedAndFull(crlf, crlf.replace('3000;\r\n', '3000;\rx\n'));
});

test('reparse: a Lua body and a map keep their own reading inside the edited block', () => {
  const text = 'server {\n    location / {\n        content_by_lua_block { ngx.say("}") }\n    }\n    map $a $b {\n        default 0;\n    }\n}\n';
  reparsedAndFull(text, edited(text, 2, 40, '{'));
  reparsedAndFull(text, edited(text, 5, 8, '{'));
  reparsedAndFull(text, edited(text, 5, 8, ' '));
});

test('re-reading keeps no earlier version of the text alive', () => {
  // Words re-read after an edit stay in every later parse; were they views into the text of their version, each
  // version a statement was re-read in would stay in memory for as long as the file is open.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const site = (n: number) => `server { server_name site${n}.example.com; location / { proxy_pass http://upstream-number-${n}; } }\n`;
  let text = Array.from({ length: 2000 }, (_, n) => site(n)).join('');
  let earlier = parsed(text);
  const heapAfter = (): number => {
    collect();
    return process.memoryUsage().heapUsed;
  };
  const before = heapAfter();
  for (let edit = 0; edit < 100; edit++) {
    text = edited(text, edit * 17, 0, ' ');
    earlier = { text, lines: new LineIndex(text), parse: reparseNginx(earlier, text, OPTIONS) };
  }
  const grown = heapAfter() - before;
  // Each kept version would add the text's ~180 KB: 18 MB in all.
  assert.ok(grown < 4_000_000, `the heap grew by ${grown} bytes over 100 edits`);
});

test('reparse of a file with more syntax errors than are recorded: the same as reading it whole', () => {
  // 1,000 errors are recorded and the rest counted; an edit that adds, removes or moves errors must leave both as a
  // fresh reading would.
  const strays = `server {\n    listen 80;\n}\n${';\n'.repeat(1200)}`;
  const { re } = reparsedAndFull(strays, edited(strays, 1, 13, ';'));
  assert.equal(re.errors.length, 1000);
  assert.equal(re.errorsNotRecorded, 201);
  const nearLimit = `server {\n    listen 80;\n}\n${';\n'.repeat(1000)}`;
  const { re: over } = reparsedAndFull(nearLimit, edited(nearLimit, 1, 13, ';'));
  assert.deepEqual([over.errors.length, over.errorsNotRecorded], [1000, 1]);
  const { re: under } = reparsedAndFull(strays, strays.slice(0, -2 * 300));
  assert.deepEqual([under.errors.length, under.errorsNotRecorded], [900, undefined]);
});
