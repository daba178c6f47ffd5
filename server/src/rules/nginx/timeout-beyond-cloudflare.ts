import type { Rule } from '../../core/rule';
import type { NginxTree } from '../../model/nginx-tree';
import { parseNginxTime } from '../../model/nginx-values';
import { forEachNamedNode } from '../../model/nginx-walk';
import { lookupDirectiveList, replaceArgument, setsProxyHeader, type Level } from './levels-and-edits';

const READ_TIMEOUTS = ['proxy_read_timeout', 'fastcgi_read_timeout', 'uwsgi_read_timeout', 'grpc_read_timeout'];

export const rule: Rule = {
  id: 'nginx/timeout-beyond-cloudflare',
  format: 'nginx',
  defaultSeverity: 'information',
  title: 'Read timeout longer than Cloudflare waits',
  docs: `Flags \`proxy_read_timeout\`, \`fastcgi_read_timeout\`, \`uwsgi_read_timeout\` and
\`grpc_read_timeout\` set above Cloudflare's Proxy Read Timeout, when the site is behind Cloudflare
(setting \`originDoctor.behindCloudflare\`, on by default).

**At runtime:** Cloudflare waits for the origin's answer only so long, then gives up and shows the
visitor its own **524** page. nginx keeps waiting for the backend, so its own answer (a 504 with
\`upstream timed out\` in the error log, or the late response) reaches nobody, and the error log
says nothing about the visitors who saw 524.

**What to change:** lower the timeout to Cloudflare's limit (quick fix), so nginx gives up when
Cloudflare does and logs why; make slow work asynchronous (a job queue with polling), or serve it
from a host that is not proxied. The limit is the setting
\`originDoctor.cloudflare.proxyReadTimeoutSeconds\`, 125 s by default: Cloudflare's Error 524 page
(developers.cloudflare.com, *Troubleshooting → Cloudflare 5xx errors → Error 524*) gives "the default
125 seconds Proxy Read Timeout"; older copies of that page, and much advice online, say 100 s.
Enterprise zones can raise it (up to 6,000 s) with the \`proxy_read_timeout\` zone setting or a Cache
Rule: set the setting to your zone's value. A WebSocket location (one that forwards \`Upgrade\`) is
not flagged: its long timeout keeps idle sockets open and is not a wait for an answer.`,
  check(ctx) {
    if (!ctx.settings.behindCloudflare) return;
    const limit = ctx.settings.cloudflare.proxyReadTimeoutSeconds;
    forEachNamedNode(ctx.model, READ_TIMEOUTS, (node, tree) => {
      const { name, argValues } = node.directive;
      if (node.context.family !== 'http' || argValues.length !== 1) return;
      const seconds = parseNginxTime(argValues[0]);
      if (seconds === undefined || seconds <= limit) return;
      if (name === 'proxy_read_timeout' && forwardsUpgrade(node.parent, tree)) return;
      const { args } = node.directive;
      ctx.report({
        file: node.file.id,
        range: args[0].range,
        message: `${name} ${args[0].value} waits longer than Cloudflare does (${limit} s): Cloudflare gives up first and the visitor sees 524, not nginx's answer. Lower it to ${asNginxTime(limit)} or make the slow request asynchronous.`,
        fixes: [{ title: `Lower ${name} to ${asNginxTime(limit)}`, edits: [replaceArgument(node, 0, asNginxTime(limit))], isPreferred: true }],
      });
    });
  },
};

/** True when the level proxies WebSockets: its `proxy_set_header` lines in force pass `Upgrade` on. */
function forwardsUpgrade(level: Level, tree: NginxTree): boolean {
  const headers = lookupDirectiveList(level, tree, 'proxy_set_header');
  return headers.known && setsProxyHeader(headers.nodes, 'upgrade');
}

/** Seconds as nginx writes a time; milliseconds when the setting is fractional. */
function asNginxTime(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}
