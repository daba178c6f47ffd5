import type { Rule } from '../../../server/src/core/rule';
import { ALL_RULES } from '../../../server/src/rules';

/** Every cloudflared rule that judges a config on its own (not the ones relating it to nginx), for whole-config tests. */
export const CLOUDFLARED_RULES: readonly Rule[] = ALL_RULES.filter(
  (r) => r.format === 'cloudflared' && r.id !== 'cloudflared/service-no-listener' && r.id !== 'cloudflared/scheme-listener-mismatch',
);
