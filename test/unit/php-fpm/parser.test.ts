import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { range } from '../../../server/src/core/text';
import { expandPool, fpmEntries, parseFpm } from '../../../server/src/parsers/phpfpm/parser';

/** The only entry of a text, which must have no errors. */
function onlyEntry(text: string) {
  const result = parseFpm(text);
  assert.deepEqual(result.errors, []);
  const entries = fpmEntries(result);
  assert.equal(entries.length, 1);
  return entries[0];
}

function firstError(text: string) {
  const result = parseFpm(text);
  assert.ok(result.errors.length > 0, `no error for ${JSON.stringify(text)}`);
  return result.errors[0];
}

describe('parseFpm: sections and entries', () => {
  it('reads sections with their entries and exact ranges', () => {
    const result = parseFpm('[global]\npid = /run/php.pid\n\n[www]\nlisten = /run/php/www.sock\npm = dynamic\n');
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.preamble, []);
    assert.deepEqual(result.sections.map((s) => s.name), ['global', 'www']);
    const [global, www] = result.sections;
    assert.deepEqual(global.nameRange, range(0, 1, 0, 7));
    assert.deepEqual(global.headerRange, range(0, 0, 0, 8));
    assert.deepEqual(www.headerRange, range(3, 0, 3, 5));
    const pid = global.entries[0];
    assert.equal(pid.key, 'pid');
    assert.deepEqual(pid.keyRange, range(1, 0, 1, 3));
    assert.equal(pid.value, '/run/php.pid');
    assert.equal(pid.rawValue, '/run/php.pid');
    assert.deepEqual(pid.valueRange, range(1, 6, 1, 18));
    assert.deepEqual(pid.range, range(1, 0, 1, 18));
    assert.equal(pid.section, global);
    assert.deepEqual(www.entries.map((e) => [e.key, e.value]), [['listen', '/run/php/www.sock'], ['pm', 'dynamic']]);
  });

  it('keeps entries before any header in the preamble, with no section', () => {
    const result = parseFpm('; pool fragment\nuser = www-data\n[www]\npm = static\n');
    assert.deepEqual(result.preamble.map((e) => [e.key, e.section]), [['user', null]]);
    assert.equal(result.sections[0].entries[0].key, 'pm');
  });

  it('trims blanks around keys and values; keeps inner blanks', () => {
    const entry = onlyEntry('  access.format  =   %R  -  %u   \n');
    assert.equal(entry.key, 'access.format');
    assert.deepEqual(entry.keyRange, range(0, 2, 0, 15));
    assert.equal(entry.value, '%R  -  %u');
    assert.deepEqual(entry.valueRange, range(0, 21, 0, 30));
  });

  it('reads `key=value` without blanks and tabs before `=`', () => {
    assert.equal(onlyEntry('listen=9000').value, '9000');
    assert.equal(onlyEntry('listen\t= 9000').value, '9000');
  });

  it('gives an empty value an empty range after `=`', () => {
    const entry = onlyEntry('chroot = \n');
    assert.equal(entry.value, '');
    assert.equal(entry.rawValue, '');
    assert.deepEqual(entry.valueRange, range(0, 9, 0, 9));
    assert.deepEqual(entry.range, range(0, 0, 0, 8));
  });

  it('opens a section and reads an entry on the same line, as php-fpm does', () => {
    const result = parseFpm('[www] pm = static\n');
    assert.equal(result.sections[0].entries[0].value, 'static');
  });

  it('reads a section name as written, blanks and quotes included', () => {
    assert.equal(parseFpm('[ a b ]').sections[0].name, ' a b ');
    assert.equal(parseFpm('["www"]').sections[0].name, 'www');
    assert.equal(parseFpm('[]').sections[0].name, '');
  });
});

describe('parseFpm: values', () => {
  it('removes double quotes and resolves \\" \\\\ and \\$, keeping other backslashes', () => {
    const entry = onlyEntry('access.format = "%R \\"%m %r\\" \\\\ \\$x \\n"\n');
    assert.equal(entry.value, '%R "%m %r" \\ $x \\n');
    assert.equal(entry.rawValue, '"%R \\"%m %r\\" \\\\ \\$x \\n"');
    assert.deepEqual(entry.valueRange, range(0, 16, 0, 40));
  });

  it('keeps `;` inside quotes and ends an unquoted value at `;`', () => {
    assert.equal(onlyEntry('access.format = "a;b"').value, 'a;b');
    const entry = onlyEntry('pm.process_idle_timeout = 10s; idle\n');
    assert.equal(entry.value, '10s');
    assert.deepEqual(entry.valueRange, range(0, 26, 0, 29));
  });

  it('reads single quotes as raw text and glues pieces together', () => {
    assert.equal(onlyEntry("ping.response = 'a \\n b'").value, 'a \\n b');
    assert.equal(onlyEntry('access.format = x "a b" c').value, 'xa bc');
    assert.equal(onlyEntry("access.format = 'a'b'c'").value, 'abc');
  });

  it('turns yes/on/true into 1 and no/off/false/none/null into an empty value, as php-fpm receives them', () => {
    assert.equal(onlyEntry('clear_env = Yes').value, '1');
    assert.equal(onlyEntry('clear_env = no').value, '');
    assert.equal(onlyEntry('clear_env = none').value, '');
    assert.equal(onlyEntry('clear_env = no').rawValue, 'no');
    assert.equal(onlyEntry('clear_env = nothing').value, 'nothing');
  });

  it('keeps $pool, ${VAR} and expressions as written', () => {
    assert.equal(onlyEntry('listen = /run/php/$pool.sock').value, '/run/php/$pool.sock');
    assert.equal(onlyEntry('env[HOME] = ${HOME}').value, '${HOME}');
    assert.equal(onlyEntry('php_admin_value[error_reporting] = E_ALL & ~E_NOTICE').value, 'E_ALL & ~E_NOTICE');
  });

  it('keeps `#` inside a value: it is not a comment there', () => {
    assert.equal(onlyEntry('listen = 9000 # tcp').value, '9000 # tcp');
  });

  it('stops a value at a stray single quote, as php-fpm does', () => {
    assert.equal(onlyEntry("access.format = it's").value, 'it');
  });

  it('expands $pool like php-fpm', () => {
    assert.equal(expandPool('/run/php/$pool.sock', 'www'), '/run/php/www.sock');
    assert.equal(expandPool('$pool-$pool', 'a'), 'a-a');
    assert.equal(expandPool('/run/php.sock', 'www'), '/run/php.sock');
  });
});

describe('parseFpm: array entries', () => {
  it('splits name[key] into base and name, key range through `]`', () => {
    const entry = onlyEntry('php_admin_value[memory_limit] = 256M\n');
    assert.equal(entry.key, 'php_admin_value[memory_limit]');
    assert.deepEqual(entry.arrayKey, { base: 'php_admin_value', name: 'memory_limit' });
    assert.deepEqual(entry.keyRange, range(0, 0, 0, 29));
    assert.equal(entry.value, '256M');
  });

  it('reads blanks and quotes in brackets as php-fpm does', () => {
    assert.deepEqual(onlyEntry('php_value [ x ] = 1').arrayKey, { base: 'php_value', name: 'x ' });
    assert.deepEqual(onlyEntry('php_value["q"] = 1').arrayKey, { base: 'php_value', name: 'q' });
    assert.deepEqual(onlyEntry('access.suppress_path[] = /ping').arrayKey, { base: 'access.suppress_path', name: '' });
  });
});

describe('parseFpm: comments', () => {
  it('records whole-line and trailing `;` comments with their ranges', () => {
    const result = parseFpm('; Pool\npm = static ; fixed\n');
    assert.deepEqual(result.comments, [
      { marker: ';', text: ' Pool', range: range(0, 0, 0, 6) },
      { marker: ';', text: ' fixed', range: range(1, 12, 1, 19) },
    ]);
  });

  it('records `#` lines as comments with php-fpm\'s verdict on them, and no entry or error', () => {
    const cases: [string, string][] = [
      ['# some text', 'value is NULL for a ZEND_INI_PARSER_ENTRY'],
      ['#listen = 9000', "unknown entry '#listen'"],
      ["# it's (fun)", 'value is NULL for a ZEND_INI_PARSER_ENTRY'],
      ['#[www]', "syntax error, unexpected END_OF_LINE, expecting '='"],
      ['#env[X] = 1', 'Array are not allowed in the global section'],
    ];
    for (const [line, refusal] of cases) {
      const result = parseFpm(`${line}\n`);
      assert.deepEqual(result.comments, [{ marker: '#', text: line.slice(1), range: range(0, 0, 0, line.length), refusal }], line);
      assert.deepEqual(fpmEntries(result), []);
      assert.deepEqual(result.errors, []);
    }
    assert.equal(parseFpm('[www]\n#env[X] = 1').comments[0].refusal, "unknown directive '#env'");
  });

  it('finds `#` after blanks', () => {
    assert.deepEqual(parseFpm('  # x').comments[0].range, range(0, 2, 0, 5));
  });
});

describe('parseFpm: errors in php-fpm\'s words', () => {
  const cases: { text: string; message: string; range: [number, number]; hint?: RegExp }[] = [
    { text: '[www', message: "syntax error, unexpected end of file, expecting ']'", range: [0, 4], hint: /closing `]`/ },
    { text: 'access.format = "abc', message: 'syntax error, unexpected end of file, expecting TC_DOLLAR_CURLY or TC_QUOTED_STRING or \'"\'', range: [16, 20], hint: /closing `"`/ },
    { text: "access.format = 'abc", message: 'syntax error, unexpected end of file', range: [16, 20], hint: /closing `'`/ },
    { text: 'listen /run/php.sock', message: 'value is NULL for a ZEND_INI_PARSER_ENTRY', range: [0, 20], hint: /no `=`/ },
    { text: "access.format = ''", message: 'value is NULL for a ZEND_INI_PARSER_ENTRY', range: [17, 18], hint: /write `""`/ },
    { text: 'x(y) = 1', message: 'value is NULL for a ZEND_INI_PARSER_ENTRY', range: [0, 1], hint: /`\(` cannot appear in a key/ },
    { text: 'access.format = a=b', message: "syntax error, unexpected '='", range: [17, 18], hint: /quoted/ },
    { text: '= 1', message: "syntax error, unexpected '='", range: [0, 1], hint: /no key/ },
    { text: ' [www]', message: "syntax error, unexpected END_OF_LINE, expecting '='", range: [1, 6], hint: /indented/ },
    { text: 'on = 1', message: 'syntax error, unexpected BOOL_TRUE', range: [0, 2], hint: /reserved/ },
    { text: 'ping.response = Yes sir', message: 'syntax error, unexpected TC_CONSTANT', range: [20, 23], hint: /reserved/ },
    { text: 'access.format = a ( b', message: "syntax error, unexpected '('", range: [18, 19], hint: /operators/ },
    { text: 'access.format = (a', message: "syntax error, unexpected END_OF_LINE, expecting '^' or '|' or '&' or ')'", range: [16, 18] },
    { text: 'access.format = ${X', message: "syntax error, unexpected end of file, expecting '}'", range: [16, 19], hint: /`\$\{NAME\}`/ },
    { text: 'php_value[x]', message: "syntax error, unexpected END_OF_LINE, expecting '='", range: [0, 12], hint: /= value/ },
    { text: '{{ if x }}', message: "syntax error, unexpected '{'", range: [0, 1], hint: /starts with a key/ },
  ];
  for (const { text, message, range: [start, end], hint } of cases) {
    it(`${JSON.stringify(text)} → ${message}`, () => {
      const error = firstError(`${text}\n`);
      assert.equal(error.message, message);
      assert.deepEqual(error.range, range(0, start, 0, end));
      if (hint) assert.match(error.hint ?? '', hint);
    });
  }

  it('reports php-fpm\'s "memory exhausted" past bison\'s stack limit', () => {
    assert.deepEqual(parseFpm(`a = ${'~'.repeat(9994)}x`).errors, []);
    assert.equal(firstError(`a = ${'~'.repeat(9995)}x`).message, 'memory exhausted');
    assert.equal(firstError(`php_value[a] = ${'~'.repeat(9993)}x`).message, 'memory exhausted');
  });

  it('reports one error per line and goes on with the next lines', () => {
    const result = parseFpm('x(y) = 1\n[www\npm = static\n');
    assert.deepEqual(result.errors.map((e) => [e.message, e.range.start.line]), [
      ['value is NULL for a ZEND_INI_PARSER_ENTRY', 0],
      ["syntax error, unexpected end of file, expecting ']'", 1],
    ]);
    assert.equal(fpmEntries(result)[0].key, 'pm');
  });

  it('never lets a quote run into the next line: php-fpm reads line by line', () => {
    const result = parseFpm('[www]\naccess.format = "a\nb"\n');
    assert.equal(result.errors[0].range.start.line, 1);
    assert.equal(result.errors[1].range.start.line, 2);
  });
});

describe('parseFpm: text encodings', () => {
  it('reads CRLF files without carriage returns in keys, values or ranges', () => {
    const result = parseFpm('[www]\r\nlisten = 9000\r\npm = static ; x\r\n');
    assert.deepEqual(result.errors, []);
    const [listen, pm] = result.sections[0].entries;
    assert.equal(listen.value, '9000');
    assert.deepEqual(listen.valueRange, range(1, 9, 1, 13));
    assert.deepEqual(result.sections[0].headerRange, range(0, 0, 0, 5));
    assert.equal(pm.value, 'static');
    assert.deepEqual(result.comments[0], { marker: ';', text: ' x', range: range(2, 12, 2, 15) });
  });

  it('skips a byte order mark, keeping ranges in the text as given', () => {
    const result = parseFpm('\uFEFF[www]\nlisten = 9000');
    assert.deepEqual(result.sections[0].headerRange, range(0, 1, 0, 6));
    assert.deepEqual(parseFpm('\uFEFF# x').comments[0].range, range(0, 1, 0, 4));
  });

  it('counts ranges in UTF-16 code units', () => {
    const entry = onlyEntry('ping.response = "🐘 pong" ; é');
    assert.equal(entry.value, '🐘 pong');
    assert.deepEqual(entry.valueRange, range(0, 16, 0, 25));
  });

  it('ignores what follows a NUL byte on a line, as php-fpm does', () => {
    assert.equal(onlyEntry('listen = 9000\0 ignored').value, '9000');
  });

  it('reads a last line without line break, and empty files', () => {
    assert.equal(onlyEntry('[www]\nlisten = 9000').value, '9000');
    assert.deepEqual(parseFpm(''), { preamble: [], sections: [], comments: [], errors: [] });
  });
});

describe('parseFpm: robustness', () => {
  it('never throws and keeps every range inside the text, on random input', () => {
    const alphabet = ['a', 'Z', '_', '.', ' ', '\t', '=', '[', ']', '"', "'", ';', '#', '$', '{', '}', '(', ')', '~', '!',
      '&', '|', '^', '\\', '\n', '\r', '\r\n', '\0', '\uFEFF', 'é', '🐘', 'yes', 'no', 'null', 'php_value', '${', '1', '-'];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 2000; round++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const result = parseFpm(text);
      const lines = text.split(/\r\n|\r|\n/);
      const ranges = [
        ...result.errors.map((e) => e.range), ...result.comments.map((c) => c.range),
        ...result.sections.flatMap((s) => [s.nameRange, s.headerRange]),
        ...fpmEntries(result).flatMap((e) => [e.keyRange, e.valueRange, e.range]),
      ];
      for (const r of ranges) {
        for (const p of [r.start, r.end]) {
          assert.ok(p.line < lines.length && p.character <= lines[p.line].length, `${JSON.stringify(text)}: ${JSON.stringify(r)}`);
        }
      }
    }
  });

  it('takes time in proportion to the text, even on pathological lines', () => {
    const megabyte = 1 << 20;
    const inputs = [
      'listen = 9000\n'.repeat(megabyte / 14),
      `a = ${"'x' ".repeat(megabyte / 4)}`,
      `a = ${'$'.repeat(megabyte)}`,
      `[${'\\'.repeat(megabyte)}`,
      `a = ${'~'.repeat(megabyte)}`,
      `${'['.repeat(megabyte)}`,
      `${"'".repeat(megabyte)}`,
      `a = ${'"'.repeat(megabyte)}`,
      `${'x '.repeat(megabyte / 2)}`,
    ];
    for (const input of inputs) {
      const started = Date.now();
      parseFpm(input);
      assert.ok(Date.now() - started < 3000, `too slow on ${JSON.stringify(input.slice(0, 20))}…`);
    }
  });
});
