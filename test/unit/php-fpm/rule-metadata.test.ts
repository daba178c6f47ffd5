import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rule as invalidValue } from '../../../server/src/rules/php-fpm/invalid-value';
import { rule as listenBacklogLow } from '../../../server/src/rules/php-fpm/listen-backlog-low';
import { rule as maxChildrenExceedsMemory } from '../../../server/src/rules/php-fpm/max-children-exceeds-memory';
import { rule as maxChildrenLow } from '../../../server/src/rules/php-fpm/max-children-low';
import { rule as maxRequestsUnbounded } from '../../../server/src/rules/php-fpm/max-requests-unbounded';
import { rule as pmInvalid } from '../../../server/src/rules/php-fpm/pm-invalid';
import { rule as requestTerminateShort } from '../../../server/src/rules/php-fpm/request-terminate-short';
import { rule as zlibCompression } from '../../../server/src/rules/php-fpm/zlib-compression';

const EXPECTED = [
  [invalidValue, 'php-fpm/invalid-value', 'error'],
  [pmInvalid, 'php-fpm/pm-invalid', 'error'],
  [maxChildrenLow, 'php-fpm/max-children-low', 'warning'],
  [maxChildrenExceedsMemory, 'php-fpm/max-children-exceeds-memory', 'warning'],
  [requestTerminateShort, 'php-fpm/request-terminate-short', 'warning'],
  [maxRequestsUnbounded, 'php-fpm/max-requests-unbounded', 'hint'],
  [listenBacklogLow, 'php-fpm/listen-backlog-low', 'warning'],
  [zlibCompression, 'php-fpm/zlib-compression', 'warning'],
] as const;

describe('issue 4 rules: metadata', () => {
  for (const [rule, id, severity] of EXPECTED) {
    it(`${id} is a ${severity}, documented with what it finds, its 502 and what to change`, () => {
      assert.equal(rule.id, id);
      assert.equal(rule.format, 'php-fpm');
      assert.equal(rule.defaultSeverity, severity);
      assert.ok(rule.title.length > 0);
      assert.match(rule.docs, /\*\*At runtime:\*\*[\s\S]*502 Bad Gateway/);
      assert.match(rule.docs, /\*\*What to change:\*\*/);
    });
  }
});
