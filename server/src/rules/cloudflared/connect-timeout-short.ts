import type { Rule } from '../../core/rule';
import { cloudflaredKey } from '../../reference/cloudflared';
import { replaceValue } from './lib/edits';
import { parseGoDuration } from './lib/go-duration';
import { goValue } from './lib/go-yaml';
import { writtenOriginRequests } from './lib/origin-request';

/** Below this, a busy or starting origin misses the deadline on ordinary days. */
const SHORTEST_SECONDS = 5;
const TIMEOUTS = ['connectTimeout', 'tlsTimeout'];

export const rule: Rule = {
  id: 'cloudflared/connect-timeout-short',
  format: 'cloudflared',
  defaultSeverity: 'hint',
  title: 'A connect or TLS timeout to the origin below 5 seconds',
  docs: `Reports \`connectTimeout\` or \`tlsTimeout\` under an \`originRequest\` (top level or per rule) set below 5
seconds. \`0s\` is not reported: it means no timeout of cloudflared's own.

**At runtime:** cloudflared gives up on a new connection to the origin after \`connectTimeout\` (default 30s) and on
its TLS handshake after \`tlsTimeout\` (default 10s). An origin that is busy, restarting, far away, or slow to
answer its first handshake misses a short deadline, and the visitor gets 502 Bad Gateway although the origin would
have answered a moment later.

**What to change:** keep the defaults unless you want requests to fail fast; the quick fix restores them.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      for (const entry of writtenOriginRequests(file.parse.config).flat()) {
        if (!TIMEOUTS.includes(entry.key)) continue;
        const value = goValue(file, entry);
        const duration = value?.tag === '!!str' ? parseGoDuration(value.text) : undefined;
        if (!value || !duration || !('seconds' in duration) || duration.seconds === 0 || duration.seconds >= SHORTEST_SECONDS) continue;
        const fallback = cloudflaredKey('originRequest', entry.key)?.default ?? '';
        const edit = replaceValue(file, entry, fallback);
        ctx.report({
          file: file.id,
          range: entry.valueRange,
          message: `${entry.key} ${value.text} is short: an origin that is busy, restarting or far away misses it and visitors get ` +
            `502 Bad Gateway (cloudflared's default is ${fallback})`,
          ...(edit ? { fixes: [{ title: `Restore the default: ${fallback}`, isPreferred: true, edits: [edit] }] } : {}),
        });
      }
    }
  },
};
