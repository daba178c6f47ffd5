import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../../server/src/core/settings';
import { capacityHoverInputAt, fpmCapacityHover } from '../../../server/src/features/fpm-capacity-hover';
import { pos } from '../../../server/src/core/text';
import { parseFpm } from '../../../server/src/parsers/phpfpm/parser';
import { capacityFormula, defaultStartServers, fitSpareServers, fpmCapacity, poolShares, spareServers } from '../../../server/src/model/fpm-capacity';

const EIGHT_GB = resolveSettings({ server: { memoryMB: 8192 } });
const UNKNOWN = resolveSettings({});

describe('capacity model', () => {
  it('is floor((memoryMB − reservedMB) / processMemoryMB)', () => {
    assert.deepEqual(fpmCapacity(EIGHT_GB), { memoryMB: 8192, reservedMB: 1024, processMemoryMB: 64, availableMB: 7168, workers: 112 });
    assert.equal(fpmCapacity(resolveSettings({ server: { memoryMB: 1000 }, phpFpm: { processMemoryMB: 100 } }))?.workers, 0);
    assert.equal(fpmCapacity(UNKNOWN), undefined);
  });

  it('writes the formula with what is known', () => {
    assert.equal(capacityFormula(EIGHT_GB), 'floor((8192 − 1024) / 64) = 112');
    assert.equal(capacityFormula(UNKNOWN), 'floor((memoryMB − 1024) / 64)');
  });

  it('shares workers between pools in proportion, at least one each', () => {
    assert.deepEqual(poolShares(112, [5]), [112]);
    assert.deepEqual(poolShares(112, [10, 30]), [28, 84]);
    assert.deepEqual(poolShares(0, [5, 5]), [1, 1]);
  });

  it("scales php-fpm's sample spare servers (5 children: 1, 3, start 2)", () => {
    assert.deepEqual(spareServers(5), { minSpare: 1, maxSpare: 3, start: 2 });
    assert.deepEqual(spareServers(112), { minSpare: 22, maxSpare: 67, start: 44 });
    assert.deepEqual(spareServers(1), { minSpare: 1, maxSpare: 1, start: 1 });
    assert.equal(defaultStartServers(2, 7), 4);
  });

  it('fits spare servers to pm.max_children, keeping what fits', () => {
    assert.deepEqual(fitSpareServers(10, { minSpare: 2, maxSpare: 6, start: 3 }), { minSpare: 2, maxSpare: 6, start: 3 });
    assert.deepEqual(fitSpareServers(10, { minSpare: 0, maxSpare: 6, start: 3 }), { minSpare: 2, maxSpare: 6, start: 3 });
    assert.deepEqual(fitSpareServers(10, { minSpare: 7, maxSpare: 6, start: 0 }), { minSpare: 6, maxSpare: 7, start: 0 });
    assert.deepEqual(fitSpareServers(10, { minSpare: 2, maxSpare: 11, start: 3 }), { minSpare: 2, maxSpare: 6, start: 3 });
    assert.deepEqual(fitSpareServers(10, { minSpare: 2, maxSpare: 6, start: 7 }), { minSpare: 2, maxSpare: 6, start: 4 });
    assert.deepEqual(fitSpareServers(3, { minSpare: 2, maxSpare: 6, start: 3 }), { minSpare: 1, maxSpare: 1, start: 1 });
  });
});

describe('fpmCapacityHover', () => {
  it('fills the formula in and relates the pool to it', () => {
    assert.equal(fpmCapacityHover({ pool: 'www', maxChildren: 5, processManager: 'dynamic' }, EIGHT_GB), [
      '**Capacity of this machine** (pool `www`)',
      '`floor((memoryMB − reservedMB) / processMemoryMB) = floor((8192 − 1024) / 64) = 112` workers',
      'pm.max_children = 5 here: 4 % of it, 320 MB at 64 MB per worker.',
      'With pm = dynamic and pm.max_children = 112: pm.min_spare_servers = 22, pm.max_spare_servers = 67, pm.start_servers = 44.',
      'Settings: originDoctor.server.memoryMB (8192), originDoctor.server.reservedMB (1024), originDoctor.phpFpm.processMemoryMB (64).',
    ].join('\n\n'));
  });

  it('says which setting is missing while the memory is unknown', () => {
    assert.equal(fpmCapacityHover({ pool: 'www', maxChildren: 5 }, UNKNOWN), [
      '**Capacity of this machine** (pool `www`)',
      '`floor((memoryMB − reservedMB) / processMemoryMB) = floor((memoryMB − 1024) / 64)` workers',
      "Set `originDoctor.server.memoryMB` to the machine's memory to have it computed.",
      'Settings: originDoctor.server.memoryMB (not set), originDoctor.server.reservedMB (1024), originDoctor.phpFpm.processMemoryMB (64).',
    ].join('\n\n'));
  });
});

describe('capacityHoverInputAt', () => {
  const parse = parseFpm('[www]\npm = Dynamic\npm.max_children = 12\n[env]\npm.max_children = ${N}\n');

  it('reads the pool, its pm.max_children and its pm from the line under the cursor', () => {
    assert.deepEqual(capacityHoverInputAt(parse, pos(2, 3)), { pool: 'www', maxChildren: 12, processManager: 'dynamic' });
    assert.deepEqual(capacityHoverInputAt(parse, pos(4, 20)), { pool: 'env' });
  });

  it('is undefined on other lines', () => {
    assert.equal(capacityHoverInputAt(parse, pos(1, 2)), undefined);
    assert.equal(capacityHoverInputAt(parse, pos(0, 1)), undefined);
  });
});
