import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { range } from '../../../server/src/core/text';
import { rule as backlog } from '../../../server/src/rules/php-fpm/listen-backlog-low';
import { rule as maxRequests } from '../../../server/src/rules/php-fpm/max-requests-unbounded';
import { rule as terminate } from '../../../server/src/rules/php-fpm/request-terminate-short';
import { rule as zlib } from '../../../server/src/rules/php-fpm/zlib-compression';
import { applyFix, assertFixedByPreferredFix, lint } from './fpm-harness';

const POOL = '/p/pool.d/www.conf';
const MAIN = '/p/php-fpm.conf';
const BASE = '[www]\nlisten = /run/php/www.sock\npm = static\npm.max_children = 5\n';

describe('php-fpm/request-terminate-short', () => {
  it('reports a terminate timeout shorter than max_execution_time, related to it, with both alignments', () => {
    const files = { [POOL]: `${BASE}request_terminate_timeout = 30s\nphp_admin_value[max_execution_time] = 120\n` };
    const [finding] = lint(terminate, files);
    assert.deepEqual(finding, {
      rule: 'php-fpm/request-terminate-short',
      severity: 'warning',
      file: POOL,
      range: range(4, 28, 4, 31),
      message: 'request_terminate_timeout (30 s) is shorter than max_execution_time (120 s): php-fpm kills the worker first, nginx logs "upstream prematurely closed connection" and answers 502',
      related: [{ file: POOL, range: range(5, 0, 5, 41), message: 'php_admin_value[max_execution_time] = 120' }],
      fixes: [
        { title: 'Set request_terminate_timeout = 120s', edits: [{ file: POOL, range: range(4, 28, 4, 31), newText: '120s' }], isPreferred: true },
        { title: 'Set max_execution_time = 30', edits: [{ file: POOL, range: range(5, 38, 5, 41), newText: '30' }] },
      ],
    });
    assertFixedByPreferredFix(terminate, files, finding);
    assert.deepEqual(lint(terminate, applyFix(files, finding.fixes![1])), []);
  });

  it('prefers php_admin_value, reads times as php-fpm does, and ignores an unlimited or unset side', () => {
    assert.equal(lint(terminate, { [POOL]: `${BASE}request_terminate_timeout = 1m\nphp_admin_value[max_execution_time] = 30\nphp_value[max_execution_time] = 600\n` }).length, 0);
    assert.equal(lint(terminate, { [POOL]: `${BASE}request_terminate_timeout = 1m\nphp_value[max_execution_time] = 90\n` }).length, 1);
    assert.deepEqual(lint(terminate, { [POOL]: `${BASE}request_terminate_timeout = 0\nphp_value[max_execution_time] = 90\n` }), []);
    assert.deepEqual(lint(terminate, { [POOL]: `${BASE}request_terminate_timeout = 10s\nphp_value[max_execution_time] = 0\n` }), []);
    assert.deepEqual(lint(terminate, { [POOL]: `${BASE}request_terminate_timeout = 10s\n` }), []);
  });
});

describe('php-fpm/max-requests-unbounded', () => {
  it('adds pm.max_requests after `pm` on a dynamic pool of a complete configuration, keeping CRLF and indentation', () => {
    const files = { [MAIN]: '[global]\r\nerror_log = /var/log/fpm.log\r\n[www]\r\n    listen = 9000\r\n    pm = ondemand\r\n    pm.max_children = 5\r\n' };
    const [finding] = lint(maxRequests, files);
    assert.deepEqual(finding, {
      rule: 'php-fpm/max-requests-unbounded',
      severity: 'hint',
      file: MAIN,
      range: range(4, 9, 4, 17),
      message: 'pm.max_requests = 0 (not set): workers of this ondemand pool are never replaced, so a leaking application grows until memory runs out and workers die mid-request (502)',
      fixes: [{ title: 'Set pm.max_requests = 500', edits: [{ file: MAIN, range: range(4, 17, 4, 17), newText: '\r\n    pm.max_requests = 500' }], isPreferred: true }],
    });
    const fixed = assertFixedByPreferredFix(maxRequests, files, finding);
    assert.equal(fixed[MAIN], '[global]\r\nerror_log = /var/log/fpm.log\r\n[www]\r\n    listen = 9000\r\n    pm = ondemand\r\n    pm.max_requests = 500\r\n    pm.max_children = 5\r\n');
  });

  it('rewrites an explicit 0, in any configuration', () => {
    const files = { [POOL]: '[www]\npm = dynamic\npm.max_requests = 0\n' };
    const [finding] = lint(maxRequests, files);
    assert.deepEqual(finding.range, range(2, 18, 2, 19));
    assert.deepEqual(finding.fixes?.[0].edits, [{ file: POOL, range: range(2, 18, 2, 19), newText: '500' }]);
    assertFixedByPreferredFix(maxRequests, files, finding);
  });

  it('leaves static pools, bounded pools and fragments that may get it elsewhere', () => {
    assert.deepEqual(lint(maxRequests, { [MAIN]: `[global]\n${BASE}` }), []);
    assert.deepEqual(lint(maxRequests, { [POOL]: '[www]\npm = dynamic\npm.max_requests = 200\n' }), []);
    assert.deepEqual(lint(maxRequests, { [POOL]: '[www]\npm = dynamic\n' }), []);
  });
});

describe('php-fpm/listen-backlog-low', () => {
  it('reports a backlog under 128 and sets 511', () => {
    const files = { [POOL]: `${BASE}listen.backlog = 64\n` };
    const [finding] = lint(backlog, files);
    assert.deepEqual(finding, {
      rule: 'php-fpm/listen-backlog-low',
      severity: 'warning',
      file: POOL,
      range: range(4, 17, 4, 19),
      message: 'listen.backlog = 64: when all workers are busy only 64 connections can wait; the next ones are refused and nginx answers 502',
      fixes: [{ title: 'Set listen.backlog = 511', edits: [{ file: POOL, range: range(4, 17, 4, 19), newText: '511' }], isPreferred: true }],
    });
    assertFixedByPreferredFix(backlog, files, finding);
  });

  it('leaves the default, the kernel maximum and 128 or more', () => {
    for (const value of ['-1', '-5', '128', '4096']) assert.deepEqual(lint(backlog, { [POOL]: `${BASE}listen.backlog = ${value}\n` }), [], value);
    assert.deepEqual(lint(backlog, { [MAIN]: `[global]\n${BASE}` }), []);
  });
});

describe('php-fpm/zlib-compression', () => {
  it('reports php_admin_flag[zlib.output_compression] = on and turns it off', () => {
    const files = { [POOL]: `${BASE}php_admin_flag[zlib.output_compression] = on\n` };
    const [finding] = lint(zlib, files);
    assert.deepEqual(finding, {
      rule: 'php-fpm/zlib-compression',
      severity: 'warning',
      file: POOL,
      range: range(4, 42, 4, 44),
      message: "php_admin_flag[zlib.output_compression] turns on PHP's output compression in front of nginx's own: responses are buffered and compressed twice, and a worker that dies mid-response leaves nginx a broken stream (502)",
      fixes: [{ title: 'Set php_admin_flag[zlib.output_compression] = off', edits: [{ file: POOL, range: range(4, 42, 4, 44), newText: 'off' }], isPreferred: true }],
    });
    assertFixedByPreferredFix(zlib, files, finding);
  });

  it('reads php_value as PHP does: On, 1 or a buffer size turn it on', () => {
    const on = ['php_flag[zlib.output_compression] = yes', 'php_value[zlib.output_compression] = On', 'php_admin_value[zlib.output_compression] = 4096'];
    for (const line of on) assert.equal(lint(zlib, { [POOL]: `${BASE}${line}\n` }).length, 1, line);
    const off = ['php_flag[zlib.output_compression] = off', 'php_value[zlib.output_compression] = Off', 'php_value[zlib.output_compression] = 0', 'php_value[zlib.output_compression_level] = 6'];
    for (const line of off) assert.deepEqual(lint(zlib, { [POOL]: `${BASE}${line}\n` }), [], line);
  });
});
