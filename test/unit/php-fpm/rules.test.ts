import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Rule } from '../../../server/src/core/rule';
import { closest, editDistance } from '../../../server/src/core/suggest';
import { range } from '../../../server/src/core/text';
import { parseFpm } from '../../../server/src/parsers/phpfpm/parser';
import { rule as hashComment } from '../../../server/src/rules/php-fpm/hash-comment';
import { rule as syntax } from '../../../server/src/rules/php-fpm/syntax';
import { rule as unknownDirective } from '../../../server/src/rules/php-fpm/unknown-directive';
import { parsedFile, runRule } from '../rule-harness';

const FILE = 'pool.d/www.conf';

function lint(rule: Rule, text: string) {
  return runRule(rule, { fpm: [parsedFile(FILE, text, parseFpm)] });
}

/** A php-fpm.conf shaped like Debian's: banner comments, commented defaults, an absolute include. */
const DEBIAN_LIKE_MAIN = `;;;;;;;;;;;;;;;;;;;;;
; FPM Configuration ;
;;;;;;;;;;;;;;;;;;;;;

[global]
; Pid file
pid = /run/php/php8.2-fpm.pid

; Error log file
error_log = /var/log/php8.2-fpm.log
;syslog.facility = daemon
;log_level = notice
;emergency_restart_threshold = 0
; process.max = 128
;daemonize = yes
;events.mechanism = epoll

include=/etc/php/8.2/fpm/pool.d/*.conf
`;

/** A pool file shaped like Debian's www.conf: one pool, commented options, quoted formats, arrays. */
const DEBIAN_LIKE_POOL = `; Start a new pool named 'www'.
; the variable $pool can be used in any directive and will be replaced by the
; pool name ('www' here)
[www]

;prefix = /path/to/pools/$pool
user = www-data
group = www-data
listen = /run/php/php8.2-fpm.sock
listen.owner = www-data
listen.group = www-data
;listen.mode = 0660
;listen.allowed_clients = 127.0.0.1
; process.priority = -19
pm = dynamic
pm.max_children = 5
pm.start_servers = 2
pm.min_spare_servers = 1
pm.max_spare_servers = 3
;pm.process_idle_timeout = 10s;
;pm.status_path = /status
;ping.path = /ping
;access.format = "%R - %u %t \\"%m %r%Q%q\\" %s %f %{milli}d %{kilo}M %C%%"
;access.suppress_path[] = /ping
;slowlog = log/$pool.log.slow
;request_terminate_timeout = 0
;rlimit_core = 0
;catch_workers_output = yes
;clear_env = no
;security.limit_extensions = .php .php3 .php4 .php5 .php7
;env[PATH] = /usr/local/bin:/usr/bin:/bin
;php_admin_value[sendmail_path] = /usr/sbin/sendmail -t -i -f www@my.domain.com
;php_flag[display_errors] = off
;php_admin_flag[log_errors] = on
`;

/** A container pool fragment: `yes`/`no` values, trailing `;`, arrays, quoted and `$pool` values. */
const CONTAINER_LIKE_POOL = `[global]
error_log = /proc/self/fd/2
log_limit = 8192

[www]
access.log = /proc/self/fd/2
clear_env = no
catch_workers_output = yes
decorate_workers_output = no
listen = 9000
pm = ondemand
pm.process_idle_timeout = 10s;
ping.path = "/ping"
slowlog = /var/log/php/$pool.slow
php_admin_value[memory_limit] = 256M
php_admin_value[error_reporting] = E_ALL & ~E_DEPRECATED
env[DB_HOST] = $DB_HOST
access.suppress_path[] = /ping
`;

describe('php-fpm rules: metadata', () => {
  for (const rule of [syntax, unknownDirective, hashComment]) {
    it(`${rule.id} is an error, documented with its 502`, () => {
      assert.equal(rule.format, 'php-fpm');
      assert.equal(rule.defaultSeverity, 'error');
      assert.ok(rule.title.length > 0);
      assert.match(rule.docs, /502 Bad Gateway/);
      assert.match(rule.docs, /\*\*What to change:\*\*/);
    });
  }
  it('have the ids of their files', () => {
    assert.deepEqual([syntax.id, unknownDirective.id, hashComment.id], ['php-fpm/syntax', 'php-fpm/unknown-directive', 'php-fpm/hash-comment']);
  });
});

describe('php-fpm rules: silent on well-formed configurations', () => {
  for (const [name, text] of [['Debian-like php-fpm.conf', DEBIAN_LIKE_MAIN], ['Debian-like www.conf', DEBIAN_LIKE_POOL], ['container-like pool', CONTAINER_LIKE_POOL]]) {
    for (const rule of [syntax, unknownDirective, hashComment]) {
      it(`${rule.id}: ${name}`, () => assert.deepEqual(lint(rule, text), []));
    }
  }
  it('php-fpm/unknown-directive accepts any case in option names and section headers', () => {
    assert.deepEqual(lint(unknownDirective, '[GLOBAL]\nPID = /run/x.pid\n[www]\nPM.Max_Children = 5\n'), []);
  });
});

describe('php-fpm/syntax', () => {
  it('reports scanner errors in php-fpm\'s words with what they mean', () => {
    assert.deepEqual(lint(syntax, '[www\nlisten = 9000\n'), [{
      file: FILE,
      range: range(0, 0, 0, 4),
      message: "syntax error, unexpected end of file, expecting ']' — a section header needs its closing `]` on the same line",
    }]);
  });

  it('reports a line without `=`', () => {
    assert.deepEqual(lint(syntax, '[www]\nlisten /run/php.sock\n'), [{
      file: FILE,
      range: range(1, 0, 1, 20),
      message: 'value is NULL for a ZEND_INI_PARSER_ENTRY — the line has no `=`: php-fpm expects `key = value`',
    }]);
  });

  it('reports an unquoted `=` in a value', () => {
    const [report] = lint(syntax, '[www]\nenv[OPTS] = a=b\n');
    assert.equal(report.message, "syntax error, unexpected '=' — a value cannot contain `=` unless it is quoted: `key = \"a=b\"`");
    assert.deepEqual(report.range, range(1, 13, 1, 14));
  });

  it('reports an array entry without key, without a fix', () => {
    assert.deepEqual(lint(syntax, '[www]\nphp_value[] = 1\n'), [{
      file: FILE,
      range: range(1, 0, 1, 11),
      message: "You must provide a key for field 'php_value' — name the setting between the brackets, e.g. `php_value[name] = value`",
    }]);
  });

  it('reports a key in access.suppress_path[…], with a fix that removes it', () => {
    assert.deepEqual(lint(syntax, '[www]\naccess.suppress_path[ping] = /ping\n'), [{
      file: FILE,
      range: range(1, 0, 1, 26),
      message: "Keys provided to field 'access.suppress_path' are ignored — write `access.suppress_path[] = /path`, one line per path",
      fixes: [{
        title: 'Remove the key: access.suppress_path[]',
        edits: [{ file: FILE, range: range(1, 0, 1, 26), newText: 'access.suppress_path[]' }],
        isPreferred: true,
      }],
    }]);
  });

  it('leaves `#` lines to php-fpm/hash-comment', () => {
    assert.deepEqual(lint(syntax, "[www]\n# it's (broken)\n"), []);
  });
});

describe('php-fpm/unknown-directive', () => {
  it('suggests the one close name, as the preferred fix', () => {
    assert.deepEqual(lint(unknownDirective, '[www]\npm.max_chidlren = 5\n'), [{
      file: FILE,
      range: range(1, 0, 1, 15),
      message: "unknown entry 'pm.max_chidlren' — did you mean 'pm.max_children'?",
      fixes: [{
        title: "Change to 'pm.max_children'",
        edits: [{ file: FILE, range: range(1, 0, 1, 15), newText: 'pm.max_children' }],
        isPreferred: true,
      }],
    }]);
  });

  it('offers several close names, nearest first, none preferred', () => {
    const [report] = lint(unknownDirective, '[www]\npm.min_spare_server = 1\n');
    assert.equal(report.message, "unknown entry 'pm.min_spare_server' — did you mean 'pm.min_spare_servers' or 'pm.max_spare_servers'?");
    assert.deepEqual(report.fixes?.map((f) => [f.edits[0].newText, f.isPreferred]), [['pm.min_spare_servers', undefined], ['pm.max_spare_servers', undefined]]);
  });

  it('says so when nothing is close', () => {
    assert.deepEqual(lint(unknownDirective, '[www]\nmax_workers = 5\n'), [{
      file: FILE, range: range(1, 0, 1, 11), message: "unknown entry 'max_workers' — php-fpm has no such setting",
    }]);
  });

  it('suggests `include` for `Include`: php-fpm matches it exactly', () => {
    const [report] = lint(unknownDirective, '[global]\nInclude = /etc/php/8.2/fpm/pool.d/*.conf\n');
    assert.equal(report.message, "unknown entry 'Include' — did you mean 'include'?");
    assert.equal(report.fixes?.[0].edits[0].newText, 'include');
    assert.deepEqual(lint(unknownDirective, '[www]\ninclude = /etc/php/pools/*.conf\n'), []);
  });

  it('reports a pool setting under [global] and a global one in a pool', () => {
    assert.deepEqual(lint(unknownDirective, '[global]\nlisten = 9000\n[www]\npid = /run/x.pid\n'), [
      {
        file: FILE,
        range: range(1, 0, 1, 6),
        message: "unknown entry 'listen' — `listen` is a pool setting and belongs under a pool header such as [www], not under [global]",
      },
      {
        file: FILE,
        range: range(3, 0, 3, 3),
        message: "unknown entry 'pid' — `pid` is a global setting and belongs under [global], not in pool [www]",
      },
    ]);
  });

  it('accepts settings of both kinds in both, e.g. rlimit_files', () => {
    assert.deepEqual(lint(unknownDirective, '[global]\nrlimit_files = 1024\n[www]\nrlimit_files = 1024\n'), []);
  });

  it('reads entries before any header in the section kind the first telling one shows', () => {
    assert.deepEqual(lint(unknownDirective, 'user = www-data\nlisten = 9000\nphp_value[memory_limit] = 64M\n'), []);
    assert.deepEqual(lint(unknownDirective, 'pid = /run/x.pid\nerror_log = syslog\n'), []);
    assert.deepEqual(lint(unknownDirective, 'rlimit_files = 1024\nlisten = 9000\n'), []);
    assert.deepEqual(lint(unknownDirective, 'pid = /run/x.pid\nlisten = 9000\n'), [{
      file: FILE,
      range: range(1, 0, 1, 6),
      message: "unknown entry 'listen' — `listen` is a pool setting, but this file's first settings (before any section header) are global ones",
    }]);
  });

  it('reports an unknown array name on its name, with a fix', () => {
    assert.deepEqual(lint(unknownDirective, '[www]\nphp_valeu[memory_limit] = 1M\n'), [{
      file: FILE,
      range: range(1, 0, 1, 9),
      message: "unknown directive 'php_valeu' — did you mean 'php_value'?",
      fixes: [{ title: "Change to 'php_value'", edits: [{ file: FILE, range: range(1, 0, 1, 9), newText: 'php_value' }], isPreferred: true }],
    }]);
    assert.equal(lint(unknownDirective, '[www]\nPHP_VALUE[x] = 1\n')[0].message, "unknown directive 'PHP_VALUE' — did you mean 'php_value'?");
  });

  it('reports arrays under [global] in php-fpm\'s words', () => {
    assert.deepEqual(lint(unknownDirective, '[global]\nphp_admin_value[memory_limit] = 1M\n'), [{
      file: FILE,
      range: range(1, 0, 1, 29),
      message: 'Array are not allowed in the global section — `php_admin_value[…]` belongs under a pool header such as [www]',
    }]);
  });

  it('leaves array key problems to php-fpm/syntax', () => {
    assert.deepEqual(lint(unknownDirective, '[www]\nphp_value[] = 1\naccess.suppress_path[x] = /p\n'), []);
  });

  it('reports listen.setfib outside FreeBSD', () => {
    assert.deepEqual(lint(unknownDirective, '[www]\nlisten.setfib = 1\n'), [{
      file: FILE, range: range(1, 0, 1, 13), message: "unknown entry 'listen.setfib' — only php-fpm on FreeBSD accepts `listen.setfib`",
    }]);
  });

  it('never suggests a setting php-fpm on Linux refuses', () => {
    const [report] = lint(unknownDirective, '[www]\nliste.nsetfib = 1\n');
    assert.equal(report.message, "unknown entry 'liste.nsetfib' — php-fpm has no such setting");
  });

  it('follows reopened sections', () => {
    const reports = lint(unknownDirective, '[www]\nlisten = 9000\n[global]\nlisten = 9001\n[www]\nlisten = 9002\n');
    assert.deepEqual(reports.map((r) => r.range.start.line), [3]);
  });
});

describe('php-fpm/hash-comment', () => {
  it('points at the `#`, quotes php-fpm and replaces it with `;`', () => {
    assert.deepEqual(lint(hashComment, '[www]\n#listen = 9000\n'), [{
      file: FILE,
      range: range(1, 0, 1, 1),
      message: "`#` does not start a comment in php-fpm (PHP ≥ 7.0); php-fpm refuses this line: unknown entry '#listen'",
      fixes: [{ title: "Start the comment with ';'", edits: [{ file: FILE, range: range(1, 0, 1, 1), newText: ';' }], isPreferred: true }],
    }]);
  });

  it('quotes the NULL value message for plain text, after blanks too', () => {
    const [report] = lint(hashComment, '[www]\n  # tuned for 2 GB\n');
    assert.deepEqual(report.range, range(1, 2, 1, 3));
    assert.equal(report.message, '`#` does not start a comment in php-fpm (PHP ≥ 7.0); php-fpm refuses this line: value is NULL for a ZEND_INI_PARSER_ENTRY');
  });

  it('ignores `#` inside values and `;` comments', () => {
    assert.deepEqual(lint(hashComment, '[www]\nlisten = 9000 # tcp\n; # not this\n'), []);
  });
});

describe('closest (did-you-mean)', () => {
  it('finds names within a few edits, nearest first, in the given order on ties', () => {
    assert.deepEqual(closest('pm.max_chidlren', ['pm', 'pm.max_children', 'pm.max_requests']), ['pm.max_children']);
    assert.deepEqual(closest('lisen', ['listen', 'user', 'listed']), ['listen', 'listed']);
    assert.deepEqual(closest('xyz', ['listen']), []);
  });

  it('compares without case but leaves out the word itself', () => {
    assert.deepEqual(closest('Include', ['include']), ['include']);
    assert.deepEqual(closest('pm', ['pm']), []);
  });

  it('honours an explicit maximum distance', () => {
    assert.deepEqual(closest('pm.max_child', ['pm.max_children'], 2), []);
    assert.deepEqual(closest('pm.max_child', ['pm.max_children'], 3), ['pm.max_children']);
  });

  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
  });
});
