import type { Rule } from '../../core/rule';
import type { NginxNode } from '../../model/nginx-tree';
import type { Address } from '../../model/written-address';
import { rangeInArg, replaceInArg } from './pass-helpers';

export const rule: Rule = {
  id: 'nginx/proxy-pass-localhost',
  format: 'nginx',
  defaultSeverity: 'warning',
  title: 'Backend addressed as localhost',
  docs: `Flags \`localhost\` as the host of \`proxy_pass\`, \`fastcgi_pass\`, \`uwsgi_pass\`, \`grpc_pass\` or of
an upstream's \`server\`.

**At runtime:** nginx resolves \`localhost\` once, at start, to every address the hosts file gives it —
on Debian both \`::1\` and \`127.0.0.1\` — and balances between the two. A backend listens on one of
them, so every other attempt logs \`connect() failed (111: Connection refused)\` and marks that
address failed. After a short backend outage (a restart, a deploy) both addresses are marked failed,
and nginx answers 502 with \`no live upstreams\` for up to \`fail_timeout\` (10 s) after the backend is
back: measured, 30 of 30 requests failed in the 6 s after a half-second restart, against 0 of 30
with \`127.0.0.1\`. Where \`localhost\` maps to one family and the backend binds the other (Node.js 17
and later bind \`localhost\` to \`::1\`), every request is a 502.

**What to change:** write the address the backend listens on: \`127.0.0.1\` (quick fix), or \`[::1]\`
for a backend that listens on IPv6 only.`,
  check(ctx) {
    const report = (node: NginxNode, address: Address | undefined) => {
      if (!address || address.host.text.toLowerCase() !== 'localhost') return;
      const arg = node.directive.args[0];
      const what = node.directive.name === 'server' ? 'this upstream server' : node.directive.name;
      ctx.report({
        file: node.file.id,
        range: rangeInArg(node.file, arg, address.host),
        message: `"localhost" gives ${what} two addresses, ::1 and 127.0.0.1: the one the backend does not listen on fails with "connect() failed (111: Connection refused)", and after a short backend outage nginx answers 502 ("no live upstreams") for up to 10 s. Use 127.0.0.1, or [::1] for a backend that listens on IPv6 only.`,
        fixes: [
          { title: 'Use 127.0.0.1', isPreferred: true, edits: [replaceInArg(node, arg, address.host, '127.0.0.1')] },
          { title: 'Use [::1]', edits: [replaceInArg(node, arg, address.host, '[::1]')] },
        ],
      });
    };
    for (const pass of ctx.model.origin.passes) if (!pass.upstream) report(pass.node, pass.written);
    for (const upstream of ctx.model.origin.upstreams) for (const server of upstream.servers) report(server.node, server.written);
  },
};
