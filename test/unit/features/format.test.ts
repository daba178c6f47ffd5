import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formatEdits, type FormatOptions } from '../../../server/src/features/format';
import { applyEdits } from '../apply-edits';

const SPACES: FormatOptions = { tabSize: 4, insertSpaces: true };

function format(kind: 'nginx' | 'php-fpm', text: string, options: FormatOptions = SPACES, range?: Parameters<typeof formatEdits>[4]): string {
  const edits = formatEdits(kind, text, options, [], range);
  assert.ok(edits, 'a formatter exists');
  const formatted = applyEdits(text, edits.map((e) => ({ file: '', ...e })));
  if (!range) assert.deepEqual(formatEdits(kind, formatted, options, []), [], 'formatting twice changes nothing');
  return formatted;
}

test('nginx: indentation by depth, one directive per line, trailing comments stay on their line', () => {
  const text = [
    'http {',
    '  server {',
    '\tlisten 443 ssl; # managed by Certbot',
    'server_name a.example;location / { return 204; }',
    '  }    # managed by Certbot',
    '}',
  ].join('\n');
  assert.equal(format('nginx', text), [
    'http {',
    '    server {',
    '        listen 443 ssl; # managed by Certbot',
    '        server_name a.example;',
    '        location / {',
    '            return 204;',
    '        }',
    '    } # managed by Certbot',
    '}',
    '',
  ].join('\n'));
});

test('nginx: strings, regexes, ${var}, quotes and escapes are kept byte for byte', () => {
  const text = 'location ~ "^/\\d{3}$"{return 200 "a ; b # c";}\nlocation /x { proxy_pass http://${host}; }\nif ($a = "b") { return 403; }\n';
  assert.equal(format('nginx', text), [
    'location ~ "^/\\d{3}$" {',
    '    return 200 "a ; b # c";',
    '}',
    'location /x {',
    '    proxy_pass http://${host};',
    '}',
    // `"b")` has no space in between: none is added.
    'if ($a = "b") {',
    '    return 403;',
    '}',
    '',
  ].join('\n'));
});

test('nginx: a multi-line log_format keeps its lines and its alignment, moved with the directive', () => {
  const text = [
    'http {',
    'log_format main \'$remote_addr - $remote_user\'',
    '                \'"$request" $status\'',
    '                  \'"$http_user_agent"\';',
    '}',
    '',
  ].join('\n');
  assert.equal(format('nginx', text), [
    'http {',
    '    log_format main \'$remote_addr - $remote_user\'',
    '                    \'"$request" $status\'',
    '                      \'"$http_user_agent"\';',
    '}',
    '',
  ].join('\n'));
});

test('nginx: comments between arguments keep a line break after them', () => {
  const text = 'http {\nlog_format #one\n  \\#arg #two\n  #three\n  ;\n}\n';
  assert.equal(format('nginx', text), 'http {\n    log_format #one\n      \\#arg #two\n      #three\n      ;\n}\n');
});

test('nginx: map bodies are kept as written, a quote inside them included; aligned when asked', () => {
  const text = 'http {\nmap $http_upgrade $c {\n      default upgrade;\n      \'\'   close;\n      "~a\\"b" x; # quoted\n  }\n}\n';
  assert.equal(format('nginx', text), 'http {\n    map $http_upgrade $c {\n      default upgrade;\n      \'\'   close;\n      "~a\\"b" x; # quoted\n    }\n}\n');
  assert.equal(format('nginx', text, { ...SPACES, alignMapValues: true }), [
    'http {',
    '    map $http_upgrade $c {',
    '        default upgrade;',
    '        \'\'      close;',
    '        "~a\\"b" x; # quoted',
    '    }',
    '}',
    '',
  ].join('\n'));
});

test('nginx: Lua bodies are kept byte for byte, only their closing brace is indented', () => {
  const text = 'location / {\ncontent_by_lua_block {\n    local t = { 1, 2 }  -- }\n      ngx.say("}")\n    }\n}\n';
  assert.equal(format('nginx', text), 'location / {\n    content_by_lua_block {\n    local t = { 1, 2 }  -- }\n      ngx.say("}")\n    }\n}\n');
});

test('nginx: blank lines are kept (one at most), but not at the start or end of a block; empty blocks close', () => {
  const text = '\n\nevents {\n\n}\nhttp {\n\n  gzip on;\n\n\n\n  gzip_vary on;\n\n}\n\n\n';
  assert.equal(format('nginx', text), 'events {}\nhttp {\n    gzip on;\n\n    gzip_vary on;\n}\n');
});

test('nginx: tabs when the editor asks, and the file\'s own line breaks', () => {
  const text = 'http {\r\n  server {\r\n  listen 80;\r\n  }\r\n}\r\n';
  assert.equal(format('nginx', text, { tabSize: 8, insertSpaces: false }), 'http {\r\n\tserver {\r\n\t\tlisten 80;\r\n\t}\r\n}\r\n');
});

test('nginx: line breaks we write end comments (never a lone CR), in the style of the first break between tokens', () => {
  // nginx ends a comment at \n only: a lone \r as the file's first break must not become ours.
  assert.equal(format('nginx', 'events {}\rhttp {\n# c\ngzip on;\n}\n'), 'events {}\nhttp {\n    # c\n    gzip on;\n}\n');
  // The leading blank line goes, and with it the only \n: formatting again must keep the same style.
  assert.equal(format('nginx', '\nevents {}\r\nhttp {\r\n}\r\n'), 'events {}\nhttp {}\n');
  // A comment whose \r is not right before its \n: the \r is trailing whitespace, not comment text.
  assert.equal(format('nginx', '# c\r\t\nevents {}\n'), '# c\n\nevents {}\n');
});

test('nginx: a file with syntax errors gets no edits', () => {
  assert.deepEqual(formatEdits('nginx', 'http {\n  server {\n  listen 80\n  }\n}\n', SPACES, []), []);
  assert.deepEqual(formatEdits('nginx', 'http {\n  gzip on;\n', SPACES, []), [], 'missing }');
});

test('nginx: range formatting edits only the lines in the range, with exact edits', () => {
  const text = 'http {\ngzip on;\ngzip_vary on;\ngzip_proxied any;\n}\n';
  const edits = formatEdits('nginx', text, SPACES, [], { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } });
  assert.deepEqual(edits, [{ range: { start: { line: 1, character: 8 }, end: { line: 2, character: 0 } }, newText: '\n    ' }]);
});

test('php-fpm: `key = value` spacing, entries start their line, comments and values kept', () => {
  const text = '[www]   \nlisten=/run/php/www.sock ; the socket\n   pm   =   dynamic\t\nenv[PATH]="/usr/bin:/bin"\nkey =\n;  pm.max_children = 5   \n';
  assert.equal(format('php-fpm', text), '[www]\nlisten = /run/php/www.sock ; the socket\npm = dynamic\nenv[PATH] = "/usr/bin:/bin"\nkey =\n;  pm.max_children = 5\n');
});

test('php-fpm: a file with syntax errors gets no edits; cloudflared has no formatter', () => {
  assert.deepEqual(formatEdits('php-fpm', '[www]\nlisten = "/run/php\n', SPACES, []), []);
  assert.equal(formatEdits('cloudflared', 'tunnel: t\n', SPACES, []), null);
});
