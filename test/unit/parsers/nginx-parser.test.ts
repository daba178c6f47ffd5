import assert from 'node:assert/strict';
import { test } from 'node:test';
import { range as r, type Range } from '../../../server/src/core/text';
import type { NginxArg, NginxBlock, NginxDirective, NginxParseOptions, NginxParseResult } from '../../../server/src/parsers/nginx/ast';
import { parseNginx, shiftedDown } from '../../../server/src/parsers/nginx/parser';
import { plain } from './plain-parse';

function bare(value: string, at: Range): NginxArg {
  return { value, raw: value, quote: null, range: at };
}

/** The errors as [kind, message, range] triples, the easiest shape to compare exactly. */
function errorsOf(result: NginxParseResult): [string, string, Range][] {
  return result.errors.map((e) => [e.kind, e.message, e.range]);
}

function only(text: string, options?: NginxParseOptions): NginxDirective {
  const { directives, errors } = parseNginx(text, options);
  assert.deepEqual(errors, []);
  assert.equal(directives.length, 1);
  return directives[0];
}

/** [name, argument values, terminator] of each directive of a list, for tests about structure. */
function outline(directives: NginxDirective[]): [string, string[], string | null][] {
  return directives.map((d) => [d.name, d.args.map((a) => a.value), d.terminator]);
}

const KNOWN = new Set(['listen', 'server_name', 'root', 'index', 'proxy_pass', 'server', 'location', 'include', 'http2']);
const withNames: NginxParseOptions = { isDirectiveName: (name) => KNOWN.has(name) };

test('a typical configuration: the exact tree, every range', () => {
  const text = 'user www-data;\nhttp {\n  server { listen 80 default_server; }\n}\n';
  assert.deepEqual(plain(parseNginx(text)), {
    directives: [
      {
        name: 'user',
        nameRange: r(0, 0, 0, 4),
        args: [bare('www-data', r(0, 5, 0, 13))],
        range: r(0, 0, 0, 14),
        terminator: ';',
      },
      {
        name: 'http',
        nameRange: r(1, 0, 1, 4),
        args: [],
        range: r(1, 0, 3, 1),
        terminator: '{',
        block: {
          children: [
            {
              name: 'server',
              nameRange: r(2, 2, 2, 8),
              args: [],
              range: r(2, 2, 2, 38),
              terminator: '{',
              block: {
                children: [
                  {
                    name: 'listen',
                    nameRange: r(2, 11, 2, 17),
                    args: [bare('80', r(2, 18, 2, 20)), bare('default_server', r(2, 21, 2, 35))],
                    range: r(2, 11, 2, 36),
                    terminator: ';',
                  },
                ],
                range: r(2, 9, 2, 38),
                closed: true,
              },
            },
          ],
          range: r(1, 5, 3, 1),
          closed: true,
        },
      },
    ],
    comments: [],
    errors: [],
  });
});

test('punctuation ends words without spaces: a;b{c;}', () => {
  const { directives, errors } = parseNginx('location /a{root /x;}server_name a;');
  assert.deepEqual(errors, []);
  assert.deepEqual(outline(directives), [
    ['location', ['/a'], '{'],
    ['server_name', ['a'], ';'],
  ]);
  assert.deepEqual(outline(directives[0].block?.children ?? []), [['root', ['/x'], ';']]);
  assert.deepEqual(directives[0].block?.range, r(0, 11, 0, 21));
});

test('quotes and escapes give the value nginx stores', () => {
  const cases: [string, string, NginxArg['quote']][] = [
    ['"a b"', 'a b', '"'],
    ["'a b'", 'a b', "'"],
    ['"a\\"b"', 'a"b', '"'],
    ["'a\\'b'", "a'b", "'"],
    ['"a\\\\b"', 'a\\b', '"'],
    ['"\\t\\r\\n"', '\t\r\n', '"'],
    ['"\\d\\$"', '\\d\\$', '"'],
    ['""', '', '"'],
    ['"{;}#"', '{;}#', '"'],
    ["'\"'", '"', "'"],
    // Unquoted words unescape the same way; a backslash keeps the next character in the word.
    ['a\\"b', 'a"b', null],
    ['a\\ b', 'a\\ b', null],
    ['a\\;b', 'a\\;b', null],
    ['\\{x', '\\{x', null],
    // A backslash that starts a word unescapes like any other.
    ['\\"a', '"a', null],
    ['\\tb', '\tb', null],
    // A quote inside a word is an ordinary character.
    ['a"b"', 'a"b"', null],
    ["it's", "it's", null],
  ];
  for (const [source, value, quote] of cases) {
    const directive = only(`d ${source};`);
    assert.deepEqual(plain(directive.args), [{ value, raw: source, quote, range: r(0, 2, 0, 2 + source.length) }], source);
  }
});

test('a ) may follow a closing quote directly, and starts a word', () => {
  const directive = only('if ($request_method = "POST") { return 405; }');
  assert.deepEqual(directive.args.map((a) => a.raw), ['($request_method', '=', '"POST"', ')']);
  assert.deepEqual(directive.args[3].range, r(0, 28, 0, 29));
});

test('a quoted argument may span lines; its range does too', () => {
  const directive = only('add_header X "a\n  b";');
  assert.deepEqual(plain(directive.args[1]), { value: 'a\n  b', raw: '"a\n  b"', quote: '"', range: r(0, 13, 1, 4) });
  assert.deepEqual(directive.range, r(0, 0, 1, 5));
});

test('a quoted directive name is unquoted; its name range keeps the quotes', () => {
  const directive = only('"location" /x { }');
  assert.equal(directive.name, 'location');
  assert.deepEqual(directive.nameRange, r(0, 0, 0, 10));
  assert.deepEqual(directive.range, r(0, 0, 0, 17));
});

test('${var}: a { right after $ belongs to the word', () => {
  assert.deepEqual(outline([only('return 200 ${host}/x;')]), [['return', ['200', '${host}/x'], ';']]);
  assert.deepEqual(outline([only('set $a $${b};')]), [['set', ['$a', '$${b}'], ';']]);
  assert.deepEqual(outline([only('set $a "${b}";')]), [['set', ['$a', '${b}'], ';']]);
  // The `{` after `}` is not right after `$`: it opens a block.
  const block = only('x ab${c}{ y; }');
  assert.deepEqual(outline([block]), [['x', ['ab${c}'], '{']]);
  assert.deepEqual(outline(block.block?.children ?? []), [['y', [], ';']]);
  // A lone `$` then a space: the `{` opens a block too.
  assert.deepEqual(outline([only('x $ { }')]), [['x', ['$'], '{']]);
});

test('a word read in one go and one read a character at a time meet exactly: what ends each, and where', () => {
  // Plain words are read in one loop; each case below leaves it for the stepwise reading at some character.
  const argsOf = (text: string) => only(text).args.map((a) => [a.value, a.raw, a.range]);
  assert.deepEqual(argsOf('a b$c d\\;e fé g;'), [
    ['b$c', 'b$c', r(0, 2, 0, 5)],
    ['d\\;e', 'd\\;e', r(0, 6, 0, 10)],
    ['fé', 'fé', r(0, 11, 0, 13)],
    ['g', 'g', r(0, 14, 0, 15)],
  ]);
  assert.deepEqual(argsOf('a b\r\n\tc{}'), [['b', 'b', r(0, 2, 0, 3)], ['c', 'c', r(1, 1, 1, 2)]]);
  assert.deepEqual(argsOf('a x${y}z;'), [['x${y}z', 'x${y}z', r(0, 2, 0, 8)]]);
  const long = 'w'.repeat(3000);
  assert.deepEqual(argsOf(`a ${long} v;`), [[long, long, r(0, 2, 0, 3002)], ['v', 'v', r(0, 3003, 0, 3004)]]);
  // A word that the end of the file ends.
  const atEnd = parseNginx('a bc');
  assert.deepEqual(outline(atEnd.directives), [['a', ['bc'], null]]);
  assert.deepEqual(atEnd.directives[0].args[0].range, r(0, 2, 0, 4));
  assert.deepEqual(errorsOf(atEnd), [['nginx', 'unexpected end of file, expecting ";" or "}"', r(0, 4, 0, 4)]]);
});

test('comments: on their own line, trailing, between arguments, after a closing brace', () => {
  const text = '# top\nserver { # open\n  listen 80; #trailing\n} # managed by Certbot\n';
  const { directives, comments, errors } = parseNginx(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(plain(comments), [
    { text: ' top', range: r(0, 0, 0, 5) },
    { text: ' open', range: r(1, 9, 1, 15) },
    { text: 'trailing', range: r(2, 13, 2, 22) },
    { text: ' managed by Certbot', range: r(3, 2, 3, 22) },
  ]);
  assert.deepEqual(directives[0].range, r(1, 0, 3, 1));

  const between = parseNginx('log_format #c1\n  \\#arg\\ 1 #c2\n  \'#arg 2\' #c3\n  ;');
  assert.deepEqual(between.errors, []);
  assert.deepEqual(between.directives[0].args.map((a) => a.value), ['\\#arg\\ 1', '#arg 2']);
  assert.deepEqual(between.comments.map((c) => c.text), ['c1', 'c2', 'c3']);
  assert.deepEqual(between.directives[0].range, r(0, 0, 3, 3));
});

test('# starts a comment only where a token may start', () => {
  const { directives, comments } = parseNginx('a#b c#d;');
  assert.deepEqual(outline(directives), [['a#b', ['c#d'], ';']]);
  assert.deepEqual(comments, []);
});

test('a comment at the end of the file, without a line break', () => {
  const { comments, errors } = parseNginx('a;\n#end');
  assert.deepEqual(errors, []);
  assert.deepEqual(plain(comments), [{ text: 'end', range: r(1, 0, 1, 4) }]);
});

test('a *_by_lua_block body is kept verbatim: braces in strings, long brackets and comments do not count', () => {
  const body = ' -- a } in a comment\n  local t = { "}", \'{\', "\\"}" }\n  ngx.say([[ } ]], [==[ ]] } ]==])\n  --[[ } ]] x = 1\n';
  const text = `content_by_lua_block {${body}}\nlisten 80;`;
  const { directives, errors } = parseNginx(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(plain(directives[0]), {
    name: 'content_by_lua_block',
    nameRange: r(0, 0, 0, 20),
    args: [],
    range: r(0, 0, 4, 1),
    terminator: '{',
    rawBody: { text: body, range: r(0, 22, 4, 0) },
  });
  assert.deepEqual(outline(directives.slice(1)), [['listen', ['80'], ';']]);
});

test('lua blocks: arguments, a quoted name; the same word elsewhere is an ordinary word', () => {
  const text = [
    'set_by_lua_block $res { return a + b }',
    '"rewrite_by_lua_block" { f("{") }',
    'server_name content_by_lua_block;',
    'upstream content_by_lua_block { server a; }',
    "access_by_lua_block { local s = \"it's\" -- it's }\n}",
  ].join('\n');
  const { directives, errors } = parseNginx(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(outline(directives), [
    ['set_by_lua_block', ['$res'], '{'],
    ['rewrite_by_lua_block', [], '{'],
    ['server_name', ['content_by_lua_block'], ';'],
    ['upstream', ['content_by_lua_block'], '{'],
    ['access_by_lua_block', [], '{'],
  ]);
  assert.deepEqual(
    directives.map((d) => d.rawBody?.text),
    [' return a + b ', ' f("{") ', undefined, undefined, " local s = \"it's\" -- it's }\n"],
  );
  assert.equal(directives[3].block?.children.length, 1);
});

test('lua blocks: a quote that does not close on its line is an ordinary character', () => {
  const { directives, errors } = parseNginx('content_by_lua_block { x = "abc\n}\ny;');
  assert.deepEqual(errors, []);
  assert.deepEqual(directives[0].rawBody, { text: ' x = "abc\n', range: r(0, 22, 1, 0) });
  assert.deepEqual(outline(directives.slice(1)), [['y', [], ';']]);
});

test('lua blocks: OpenResty errors for a missing } and a missing closing long bracket', () => {
  const unclosed = parseNginx('content_by_lua_block {\n  if a then t = {\n');
  assert.deepEqual(errorsOf(unclosed), [
    ['nginx', 'unexpected end of file, expecting terminating characters for lua code block', r(1, 16, 1, 17)],
  ]);
  assert.deepEqual(unclosed.directives[0].range, r(0, 0, 2, 0));
  assert.deepEqual(unclosed.directives[0].rawBody?.range, r(0, 22, 2, 0));

  const ownBrace = parseNginx('http {\n  init_by_lua_block { x = 1\n');
  assert.deepEqual(errorsOf(ownBrace)[0], [
    'nginx',
    'unexpected end of file, expecting terminating characters for lua code block',
    r(1, 20, 1, 21),
  ]);

  const bracket = parseNginx('content_by_lua_block {\n  --[==[ never closed ]]\n}');
  assert.deepEqual(errorsOf(bracket)[0], [
    'nginx',
    'Lua code block missing the closing long bracket "]==]", the inlined Lua code may be too long',
    r(1, 2, 1, 8),
  ]);
});

test('every syntax error nginx reports, with its exact range', () => {
  const cases: [string, string, Range][] = [
    ['}', 'unexpected "}"', r(0, 0, 0, 1)],
    ['a b }', 'unexpected "}"', r(0, 4, 0, 5)],
    ['a "b"}', 'unexpected "}"', r(0, 5, 0, 6)],
    ['a;;', 'unexpected ";"', r(0, 2, 0, 3)],
    ['{ a; }', 'unexpected "{"', r(0, 0, 0, 1)],
    ['types {\n  text/html html {}\n}', 'unexpected "{"', r(1, 17, 1, 18)],
    ['a "b"c;', 'unexpected "c"', r(0, 5, 0, 6)],
    ["a 'b''c';", `unexpected "'"`, r(0, 5, 0, 6)],
    ['a "b"#c\n;', 'unexpected "#"', r(0, 5, 0, 6)],
    ['a "b"😀;', 'unexpected "😀"', r(0, 5, 0, 7)],
    ['a b', 'unexpected end of file, expecting ";" or "}"', r(0, 3, 0, 3)],
    ['a "b', 'unexpected end of file, expecting ";" or "}"', r(0, 4, 0, 4)],
    ['a\\', 'unexpected end of file, expecting ";" or "}"', r(0, 2, 0, 2)],
    ['a {\n', 'unexpected end of file, expecting "}"', r(1, 0, 1, 0)],
    ['a {\n  b c # no semicolon\n', 'unexpected end of file, expecting ";" or "}"', r(2, 0, 2, 0)],
    [`a "${'x'.repeat(5000)}`, 'too long parameter, probably missing terminating """ character', r(0, 2, 0, 3)],
    [`a '${'x'.repeat(5000)}`, `too long parameter, probably missing terminating "'" character`, r(0, 2, 0, 3)],
    [`a\n  b${'x'.repeat(5000)};`, 'too long parameter "bxxxxxxxxx..." started', r(1, 2, 1, 3)],
    [`# ${'x'.repeat(5000)}\na;`, 'too long parameter "# xxxxxxxx..." started', r(0, 0, 0, 1)],
  ];
  for (const [text, message, at] of cases) {
    assert.deepEqual(errorsOf(parseNginx(text))[0], ['nginx', message, at], JSON.stringify(text.slice(0, 30)));
  }
});

test('the 4 KB limit counts UTF-8 bytes from where nginx starts the parameter', () => {
  // Checked against nginx 1.22. The space after a word counts, and after a quoted one the closing quote too.
  const firstError = (text: string) => parseNginx(text).errors[0]?.message;
  assert.equal(firstError(`a "${'x'.repeat(4093)}" b;`), undefined);
  assert.equal(firstError(`a "${'x'.repeat(4094)}" b;`), 'too long parameter "xxxxxxxxxx..." started');
  assert.equal(firstError(`a ${'x'.repeat(4094)} b;`), undefined);
  assert.equal(firstError(`a ${'x'.repeat(4095)} b;`), 'too long parameter "xxxxxxxxxx..." started');
  // é is two bytes: 2047 of them and one x make 4095 bytes; one more x reaches the limit.
  assert.equal(firstError(`a "${'é'.repeat(2047)}x`), 'unexpected end of file, expecting ";" or "}"');
  assert.equal(firstError(`a "${'é'.repeat(2047)}xx`), 'unexpected end of file, expecting ";" or "}"');
  assert.equal(firstError(`a "${'é'.repeat(2048)}xx`), 'too long parameter, probably missing terminating """ character');
  assert.equal(firstError(`a ${'é'.repeat(2048)} b;`), 'too long parameter "ééééé..." started');
});

test('recovery: the tree covers the whole file after an error', () => {
  const text = 'http {\n  a b\n}\n}\nc "d"e;\nf {\n  g {\n';
  const { directives, errors } = parseNginx(text);
  assert.deepEqual(errorsOf(parseNginx(text)), [
    ['nginx', 'unexpected "}"', r(2, 0, 2, 1)],
    ['nginx', 'unexpected "}"', r(3, 0, 3, 1)],
    ['nginx', 'unexpected "e"', r(4, 5, 4, 6)],
    ['nginx', 'unexpected end of file, expecting "}"', r(7, 0, 7, 0)],
  ]);
  assert.equal(errors.length, 4);
  assert.deepEqual(outline(directives), [
    ['http', [], '{'],
    ['c', ['d', 'e'], ';'],
    ['f', [], '{'],
  ]);
  const http = directives[0];
  assert.deepEqual(outline(http.block?.children ?? []), [['a', ['b'], null]]);
  assert.deepEqual(http.block?.children[0].range, r(1, 2, 1, 5));
  assert.equal(http.block?.closed, true);
  const f = directives[2];
  const g = f.block?.children[0];
  assert.deepEqual([f.block?.closed, g?.block?.closed], [false, false]);
  assert.deepEqual([f.range, f.block?.range, g?.range], [r(5, 0, 7, 0), r(5, 2, 7, 0), r(6, 2, 7, 0)]);
});

test('recovery: a stray { reads its content into the enclosing block', () => {
  const { directives, errors } = parseNginx('server {\n  { listen 80; }\n  root /x;\n}');
  assert.deepEqual(errorsOf({ directives, errors, comments: [] }), [['nginx', 'unexpected "{"', r(1, 2, 1, 3)]]);
  assert.deepEqual(outline(directives), [['server', [], '{']]);
  assert.deepEqual(outline(directives[0].block?.children ?? []), [
    ['listen', ['80'], ';'],
    ['root', ['/x'], ';'],
  ]);
  assert.equal(directives[0].block?.closed, true);
});

test('missing ";": a known directive name starting a line splits the statement', () => {
  const text = 'server {\n    listen 80\n    server_name example.com;\n}';
  const { directives, errors } = parseNginx(text, withNames);
  assert.deepEqual(errorsOf({ directives, errors, comments: [] }), [
    ['missing-semicolon', 'missing ";" at the end of this line', r(1, 13, 1, 13)],
  ]);
  const children = directives[0].block?.children ?? [];
  assert.deepEqual(outline(children), [
    ['listen', ['80'], null],
    ['server_name', ['example.com'], ';'],
  ]);
  assert.deepEqual(children.map((d) => d.range), [r(1, 4, 1, 13), r(2, 4, 2, 28)]);

  // Without the option, the statement runs on as nginx reads it.
  assert.deepEqual(outline(parseNginx(text).directives[0].block?.children ?? []), [
    ['listen', ['80', 'server_name', 'example.com'], ';'],
  ]);
});

test('missing ";": ranged after the last token, before a trailing comment', () => {
  const { errors, directives } = parseNginx('root /x # the root\nindex a;\n', withNames);
  assert.deepEqual(errorsOf({ errors, directives, comments: [] }), [
    ['missing-semicolon', 'missing ";" at the end of this line', r(0, 7, 0, 7)],
  ]);
  assert.deepEqual(outline(directives), [
    ['root', ['/x'], null],
    ['index', ['a'], ';'],
  ]);
});

test('missing ";": no split for quoted words, words on the same line, block openers, data blocks', () => {
  const noSplit = [
    "log_format main '$a'\n  'listen';",
    'add_header X\n  "listen";',
    'listen 80 server_name x;',
    'location /x\n  proxy_pass http://a;',
    'location /x\n{\n  root /y;\n}',
    'map $a $b {\n  default 0\n  include x;\n}',
    'types {\n  text/html html\n  listen x;\n}',
    'content_by_lua_block {\n  local a = 1\n  listen = 2\n}',
  ];
  for (const text of noSplit) {
    const { errors } = parseNginx(text, withNames);
    assert.deepEqual(errors, [], text);
  }
});

test('missing ";": server is a block in http but not in upstream, so it may be split', () => {
  const { directives, errors } = parseNginx('upstream u {\n  server a:80\n  server b:80;\n}', withNames);
  assert.deepEqual(errorsOf({ directives, errors, comments: [] }), [
    ['missing-semicolon', 'missing ";" at the end of this line', r(1, 13, 1, 13)],
  ]);
  assert.deepEqual(outline(directives[0].block?.children ?? []), [
    ['server', ['a:80'], null],
    ['server', ['b:80'], ';'],
  ]);
});

test('missing ";": a value that is also a directive name, alone on its line, is split (an accepted false alarm)', () => {
  const { directives, errors } = parseNginx('listen 443 ssl\n    http2;', withNames);
  assert.equal(errors[0].kind, 'missing-semicolon');
  assert.deepEqual(outline(directives), [
    ['listen', ['443', 'ssl'], null],
    ['http2', [], ';'],
  ]);
});

test('missing ";" keeps the nginx errors nginx would report: the statement is still open at a }', () => {
  const { errors } = parseNginx('server {\n  listen 80\n  server_name a }\n', withNames);
  assert.deepEqual(errorsOf({ errors, directives: [], comments: [] }), [
    ['missing-semicolon', 'missing ";" at the end of this line', r(1, 11, 1, 11)],
    ['nginx', 'unexpected "}"', r(2, 16, 2, 17)],
  ]);
});

test('errors stay in document order when a long comment is reported before an earlier missing ";"', () => {
  const { errors } = parseNginx(`listen 80\n#${'x'.repeat(5000)}\nserver_name a;`, withNames);
  assert.deepEqual(errorsOf({ errors, directives: [], comments: [] }), [
    ['missing-semicolon', 'missing ";" at the end of this line', r(0, 9, 0, 9)],
    ['nginx', 'too long parameter "#xxxxxxxxx..." started', r(1, 0, 1, 1)],
  ]);
});

test('line endings: CRLF, lone CR, tabs', () => {
  const crlf = parseNginx('a {\r\n  b c; # x\r\n}\r\n');
  assert.deepEqual(crlf.errors, []);
  assert.deepEqual(crlf.directives[0].range, r(0, 0, 2, 1));
  assert.deepEqual(crlf.directives[0].block?.children[0].args[0].range, r(1, 4, 1, 5));
  assert.deepEqual(plain(crlf.comments), [{ text: ' x', range: r(1, 7, 1, 10) }]);

  const cr = parseNginx('a;\rb\r c;');
  assert.deepEqual(outline(cr.directives), [
    ['a', [], ';'],
    ['b', ['c'], ';'],
  ]);
  assert.deepEqual(cr.directives[1].range, r(1, 0, 2, 3));

  const tabs = only('\tlisten\t80;');
  assert.deepEqual([tabs.nameRange, tabs.args[0].range], [r(0, 1, 0, 7), r(0, 8, 0, 10)]);
});

test('a lone CR does not end a comment, as in nginx', () => {
  const { directives, comments } = parseNginx('# a\rb;\nc;');
  assert.deepEqual(plain(comments), [{ text: ' a\rb;', range: r(0, 0, 1, 2) }]);
  assert.deepEqual(outline(directives), [['c', [], ';']]);
});

test('a byte order mark is skipped, and counted in columns', () => {
  const directive = only('\ufeffuser nginx;');
  assert.equal(directive.name, 'user');
  assert.deepEqual(directive.nameRange, r(0, 1, 0, 5));
});

test('columns count UTF-16 code units: an emoji takes two', () => {
  const directive = only('add_header X-Face "😀" always; ');
  assert.deepEqual(directive.args.map((a) => a.range), [r(0, 11, 0, 17), r(0, 18, 0, 22), r(0, 23, 0, 29)]);
  const word = only('a 😀 b;');
  assert.deepEqual(plain(word.args), [bare('😀', r(0, 2, 0, 4)), bare('b', r(0, 5, 0, 6))]);
  const cyrillic = only('server_name пример.рф www;');
  assert.deepEqual(cyrillic.args[1].range, r(0, 22, 0, 25));
});

test('10,000 nested blocks parse without overflowing the stack', () => {
  const depth = 10_000;
  const text = 'a {\n'.repeat(depth) + 'b;\n' + '}\n'.repeat(depth);
  const { directives, errors } = parseNginx(text);
  assert.deepEqual(errors, []);
  let level = 0;
  let directive: NginxDirective | undefined = directives[0];
  while (directive?.block) {
    assert.equal(directive.block.closed, true);
    level++;
    directive = directive.block.children[0];
  }
  assert.equal(level, depth);
  assert.equal(directive?.name, 'b');

  const unclosed = parseNginx('a {'.repeat(depth));
  assert.deepEqual(errorsOf(unclosed), [['nginx', 'unexpected end of file, expecting "}"', r(0, 30_000, 0, 30_000)]]);
});

test('a 5 MB file parses', () => {
  const server =
    'server {\n    listen 80; # comment\n    server_name example.com www.example.com;\n' +
    '    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php/php-fpm.sock;\n' +
    '        add_header X-Test "a b ${host}";\n    }\n}\n';
  const text = server.repeat(Math.ceil(5_000_000 / server.length));
  const { directives, errors, comments } = parseNginx(text, withNames);
  assert.deepEqual(errors, []);
  assert.equal(directives.length, comments.length);
});

test('never throws, and keeps errors in document order, on arbitrary input', () => {
  const pieces = ['a', ' ', '\n', '\r\n', '\r', '\t', ';', '{', '}', '"', "'", '\\', '#', '$', '${', ')', 'é', '😀',
    '\ud800', 'content_by_lua_block', '[[', ']]', '--', 'listen', '\ufeff'];
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let run = 0; run < 3000; run++) {
    let text = '';
    for (let i = Math.floor(random() * 40); i > 0; i--) text += pieces[Math.floor(random() * pieces.length)];
    const { errors } = parseNginx(text, withNames);
    for (let i = 1; i < errors.length; i++) {
      const [before, after] = [errors[i - 1].range.start, errors[i].range.start];
      assert.ok(before.line < after.line || (before.line === after.line && before.character <= after.character), text);
    }
  }
});

test('an escaped CR before LF ends its token at the line end, as editors count lines (found by the engine fuzz)', () => {
  const text = 'server {\n    keepalive 16\\\r\n    upstream x;\n}\n';
  const lines = text.split(/\r\n|\n/);
  const result = parseNginx(text, { isDirectiveName: (name) => name === 'upstream' });
  for (const error of result.errors) assert.ok(error.range.end.character <= lines[error.range.end.line].length, JSON.stringify(error));
  // The argument is `16\` and the CR: its range ends where the line does, not one past it.
  const keepalive = (result.directives[0].block as NginxBlock).children[0];
  assert.deepEqual(keepalive.args[0].range, { start: { line: 1, character: 14 }, end: { line: 1, character: 17 } });
});

test('a file with more than 1,000 syntax errors: the first 1,000 recorded in order, the rest counted', () => {
  const parse = parseNginx(`${'}\n'.repeat(1500)}listen 80;\n`);
  assert.equal(parse.errors.length, 1000);
  assert.deepEqual(parse.errors[999], { kind: 'nginx', message: 'unexpected "}"', range: r(999, 0, 999, 1) });
  assert.equal(parse.errorsNotRecorded, 500);
  assert.deepEqual(parse.directives.map((d) => d.name), ['listen']);
  assert.equal(parseNginx('}\n'.repeat(1000)).errorsNotRecorded, undefined);
});

test('arguments kept as values and places until asked for: the words made then are those read at once elsewhere', () => {
  const far = ' '.repeat(1020);
  const text = ['a 1 22 333;', 'b 1 2 3 4;', 'c "q" x;', 'd x', '  y;', `${far}e xxxx yyyy;`].join('\n');
  const { directives } = parseNginx(text);
  assert.deepEqual(directives.map((d) => d.argValues), [['1', '22', '333'], ['1', '2', '3', '4'], ['q', 'x'], ['x', 'y'], ['xxxx', 'yyyy']]);
  assert.deepEqual(plain(directives.map((d) => d.args)), [
    [bare('1', r(0, 2, 0, 3)), bare('22', r(0, 4, 0, 6)), bare('333', r(0, 7, 0, 10))],
    [bare('1', r(1, 2, 1, 3)), bare('2', r(1, 4, 1, 5)), bare('3', r(1, 6, 1, 7)), bare('4', r(1, 8, 1, 9))],
    [{ value: 'q', raw: '"q"', quote: '"', range: r(2, 2, 2, 5) }, bare('x', r(2, 6, 2, 7))],
    [bare('x', r(3, 2, 3, 3)), bare('y', r(4, 2, 4, 3))],
    // The second place needs more than ten bits: neither is packed.
    [bare('xxxx', r(5, 1022, 5, 1026)), bare('yyyy', r(5, 1027, 5, 1031))],
  ]);
  assert.equal(directives[0].args, directives[0].args, 'made once');
  const moved = shiftedDown(directives[0], 2)!;
  assert.deepEqual(moved.argValues, ['1', '22', '333']);
  assert.deepEqual(plain(moved.args), [bare('1', r(2, 2, 2, 3)), bare('22', r(2, 4, 2, 6)), bare('333', r(2, 7, 2, 10))]);
});

test('a directive with the values of one of the last four lists of its name shares that list; its words stay its own', () => {
  const text = ['h Host $host;', 'h A 1;', 'h B 2;', 'h C 3;', 'h Host $host;', 'k Host $host;', 'h "Host" $host;', 'h D 4;', 'h Host $host;'].join('\n');
  const { directives } = parseNginx(text);
  const [host, , , , hostAgain, otherName, quotedHost, , hostAfterFour] = directives;
  assert.equal(hostAgain.argValues, host.argValues, 'the same values, three other lists of h apart');
  assert.notEqual(otherName.argValues, host.argValues, 'another name keeps its own list');
  assert.equal(quotedHost.argValues, host.argValues, 'the same values, however written');
  assert.notEqual(hostAfterFour.argValues, host.argValues, 'four other lists of h were made since');
  assert.deepEqual(hostAfterFour.argValues, ['Host', '$host']);
  assert.deepEqual(plain(hostAgain.args), [bare('Host', r(4, 2, 4, 6)), bare('$host', r(4, 7, 4, 12))]);
  assert.deepEqual(plain(quotedHost.args), [{ value: 'Host', raw: '"Host"', quote: '"', range: r(6, 2, 6, 8) }, bare('$host', r(6, 9, 6, 14))]);
});

test('a name whose values seldom repeat is no longer compared after 64 of its directives; other names still share', () => {
  const unique = Array.from({ length: 64 }, (_, i) => `root /site${i}; v 1.1;`);
  const text = [...unique, 'root /site0;', 'root /same;', 'root /same;', 'v 1.1;'].join('\n');
  const { directives } = parseNginx(text);
  const [sameAsFirst, same, sameAgain, lastV] = directives.slice(-4);
  assert.deepEqual([sameAsFirst, same, sameAgain].map((d) => d.argValues), [['/site0'], ['/same'], ['/same']]);
  assert.notEqual(sameAgain.argValues, same.argValues, 'root shared no list in 64 directives: its lists are its own now');
  assert.equal(lastV.argValues, directives[1].argValues, 'v shares the list of its first directive still');
});

test('a quoted name that runs over lines ends where its quote closes, in a moved copy too', () => {
  const [directive] = parseNginx('"na\nme" 1;').directives;
  assert.equal(directive.name, 'na\nme');
  assert.deepEqual(directive.nameRange, r(0, 0, 1, 3));
  assert.deepEqual(shiftedDown(directive, 2)!.nameRange, r(2, 0, 3, 3));
});
