import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { range } from '../../../server/src/core/text';
import { rule as exceeds } from '../../../server/src/rules/php-fpm/max-children-exceeds-memory';
import { rule as low } from '../../../server/src/rules/php-fpm/max-children-low';
import { assertFixedByPreferredFix, lint } from './fpm-harness';

const POOL = '/p/pool.d/www.conf';
const EIGHT_GB = { server: { memoryMB: 8192 } };
const TWO_GB = { server: { memoryMB: 2048 } };

function pool(children: number, name = 'www', extra = ''): string {
  return `[${name}]\nlisten = /run/php/${name}.sock\npm = static\npm.max_children = ${children}\n${extra}`;
}

describe('php-fpm/max-children-low', () => {
  it('without the machine\'s memory, reports only the sample value 5, with the formula and no fix', () => {
    assert.deepEqual(lint(low, { [POOL]: pool(5) }), [{
      rule: 'php-fpm/max-children-low',
      severity: 'warning',
      file: POOL,
      range: range(3, 18, 3, 19),
      message: 'pm.max_children = 5 is the value of php-fpm\'s sample www.conf: 5 requests at once, the rest queue and end in 502/504 under load ("server reached pm.max_children setting"). Size it to the machine: floor((memoryMB − 1024) / 64) workers (set originDoctor.server.memoryMB to have it computed)',
    }]);
    assert.deepEqual(lint(low, { [POOL]: pool(6) }), []);
  });

  it('with the memory known, reports a pool far below capacity and sets it', () => {
    const files = { [POOL]: pool(20) };
    const [finding, ...more] = lint(low, files, EIGHT_GB);
    assert.deepEqual(more, []);
    assert.deepEqual(finding, {
      rule: 'php-fpm/max-children-low',
      severity: 'warning',
      file: POOL,
      range: range(3, 18, 3, 20),
      message: 'pm.max_children = 20 is far below the 112 workers this machine can carry (floor((8192 − 1024) / 64) = 112): under load requests queue ("server reached pm.max_children setting") and nginx answers 502/504',
      fixes: [{ title: 'Set pm.max_children = 112', edits: [{ file: POOL, range: range(3, 18, 3, 20), newText: '112' }], isPreferred: true }],
    });
    assertFixedByPreferredFix(low, files, finding, EIGHT_GB);
    assert.deepEqual(lint(low, { [POOL]: pool(28) }, EIGHT_GB), []);
    assert.deepEqual(lint(low, { [POOL]: pool(5) }, TWO_GB), []);
  });

  it('counts the pools of one master together and leaves a one-worker pool alone', () => {
    const files = { [POOL]: `${pool(10, 'app')}${pool(1, 'ping')}` };
    const findings = lint(low, files, EIGHT_GB);
    assert.deepEqual(findings.map((f) => [f.range.start.line, f.message, f.fixes?.[0].title]), [
      [3, 'pm.max_children = 10 (11 over 2 pools) is far below the 112 workers this machine can carry (floor((8192 − 1024) / 64) = 112): under load requests queue ("server reached pm.max_children setting") and nginx answers 502/504', 'Set pm.max_children = 111'],
    ]);
    assertFixedByPreferredFix(low, files, findings[0], EIGHT_GB);
  });

  it('says nothing while a pool\'s pm.max_children is unknown', () => {
    assert.deepEqual(lint(low, { [POOL]: `${pool(5)}${pool(0, 'other').replace('= 0', '= ${CHILDREN}')}` }), []);
  });
});

describe('php-fpm/max-children-exceeds-memory', () => {
  it('needs the machine\'s memory', () => {
    assert.deepEqual(lint(exceeds, { [POOL]: pool(500) }), []);
  });

  it('reports workers that need more memory than is left, and sets what fits', () => {
    const files = { [POOL]: pool(50) };
    const [finding] = lint(exceeds, files, TWO_GB);
    assert.deepEqual(finding, {
      rule: 'php-fpm/max-children-exceeds-memory',
      severity: 'warning',
      file: POOL,
      range: range(3, 18, 3, 20),
      message: 'pm.max_children = 50 × 64 MB = 3200 MB, but 1024 MB are left for php-fpm (2048 MB − 1024 MB reserved): under load the OOM killer ends workers mid-request and nginx answers 502. What fits: floor((2048 − 1024) / 64) = 16',
      fixes: [{ title: 'Set pm.max_children = 16', edits: [{ file: POOL, range: range(3, 18, 3, 20), newText: '16' }], isPreferred: true }],
    });
    assertFixedByPreferredFix(exceeds, files, finding, TWO_GB);
    assert.deepEqual(lint(exceeds, { [POOL]: pool(16) }, TWO_GB), []);
  });

  it('moves dynamic spare servers inside the new limit', () => {
    const files = { [POOL]: '[www]\nlisten = 9000\npm = dynamic\npm.max_children = 40\npm.min_spare_servers = 10\npm.max_spare_servers = 30\npm.start_servers = 20\n' };
    const [finding] = lint(exceeds, files, TWO_GB);
    assert.equal(finding.fixes?.[0].title, 'Set pm.max_children = 16, pm.min_spare_servers = 3, pm.max_spare_servers = 9, pm.start_servers = 6');
    const fixed = assertFixedByPreferredFix(exceeds, files, finding, TWO_GB);
    assert.equal(fixed[POOL], '[www]\nlisten = 9000\npm = dynamic\npm.max_children = 16\npm.min_spare_servers = 3\npm.max_spare_servers = 9\npm.start_servers = 6\n');
  });

  it('adds up the pools of one master, relating each to the others', () => {
    const files = { [POOL]: `${pool(20, 'a')}${pool(12, 'b')}` };
    const findings = lint(exceeds, files, TWO_GB);
    assert.deepEqual(findings.map((f) => [f.message.slice(0, 60), f.related?.map((r) => r.message), f.fixes?.[0].title]), [
      ['pm.max_children = 20, with the other pools 32 workers, × 64 ', ["pool 'b': pm.max_children = 12"], 'Set pm.max_children = 10'],
      ['pm.max_children = 12, with the other pools 32 workers, × 64 ', ["pool 'a': pm.max_children = 20"], 'Set pm.max_children = 6'],
    ]);
  });
});
