import type { Rule } from '../../../server/src/core/rule';
import { ALL_RULES } from '../../../server/src/rules';
import { rule as invalidValue } from '../../../server/src/rules/php-fpm/invalid-value';
import { rule as listenBacklogLow } from '../../../server/src/rules/php-fpm/listen-backlog-low';
import { rule as maxChildrenExceedsMemory } from '../../../server/src/rules/php-fpm/max-children-exceeds-memory';
import { rule as maxChildrenLow } from '../../../server/src/rules/php-fpm/max-children-low';
import { rule as maxRequestsUnbounded } from '../../../server/src/rules/php-fpm/max-requests-unbounded';
import { rule as pmInvalid } from '../../../server/src/rules/php-fpm/pm-invalid';
import { rule as requestTerminateShort } from '../../../server/src/rules/php-fpm/request-terminate-short';
import { rule as zlibCompression } from '../../../server/src/rules/php-fpm/zlib-compression';

/** The php-fpm rules of issue 4. */
export const ISSUE_4_RULES: readonly Rule[] = [
  invalidValue, pmInvalid, maxChildrenLow, maxChildrenExceedsMemory, requestTerminateShort, maxRequestsUnbounded, listenBacklogLow, zlibCompression,
];

/** Every rule the engine runs, with the issue-4 rules once, whether or not they are registered yet. */
export const EVERY_RULE: readonly Rule[] = [...ALL_RULES, ...ISSUE_4_RULES.filter((rule) => !ALL_RULES.some((r) => r.id === rule.id))];
