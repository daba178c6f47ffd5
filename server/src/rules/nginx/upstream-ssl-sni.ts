import { keptFor } from '../../core/kept';
import { listSome } from '../../core/listing';
import type { Rule } from '../../core/rule';
import type { NginxPass, NginxUpstream } from '../../model/origin';
import { lookupDirective } from './levels-and-edits';
import { isIpLiteral, rangeInArg, setInBlockEdits, type DirectiveValue } from './pass-helpers';

/** The passes that can speak TLS to the backend, with their scheme for it and their directives' prefix. */
const TLS_PASSES: Partial<Record<NginxPass['kind'], { scheme: string; prefix: string }>> = {
  proxy_pass: { scheme: 'https', prefix: 'proxy' },
  grpc_pass: { scheme: 'grpcs', prefix: 'grpc' },
};

export const rule: Rule = {
  id: 'nginx/upstream-ssl-sni',
  format: 'nginx',
  defaultSeverity: 'warning',
  title: 'TLS to a named backend without SNI',
  docs: `Flags \`proxy_pass https://…\` (and \`grpc_pass grpcs://…\`) to a host name — or to an \`upstream\` whose
servers are host names — where \`proxy_ssl_server_name\` is not \`on\`. Host names here have a dot;
IP addresses and single-label internal names are left alone.

**At runtime:** \`proxy_ssl_server_name\` is off by default, so nginx's TLS handshake names no server
(no SNI). A server that picks its certificate by name — Cloudflare, CDNs, shared hosting, most
cloud load balancers — refuses it: nginx logs \`SSL_do_handshake() failed (… sslv3 alert handshake
failure …)\` or \`(… tlsv1 unrecognized name …) while SSL handshaking to upstream\` and answers 502.
With \`proxy_ssl_server_name on\`, nginx sends the host of \`proxy_pass\`: for an \`upstream\` that is
the upstream's name, so set \`proxy_ssl_name\` to the real host name unless the upstream is named
after it (and, for a server that routes by it, send that name as \`Host\` too).

A location whose setting may come from a file the workspace does not hold is not judged.

**What to change:** add \`proxy_ssl_server_name on;\` next to \`proxy_pass\` (quick fix), with
\`proxy_ssl_name api.example.com;\` for an upstream.`,
  check(ctx) {
    // Many passes may name one upstream: its servers' host names are gathered once for all of them.
    const hostNames = new Map<NginxUpstream, string[]>();
    for (const pass of ctx.model.origin.passes) {
      const tls = TLS_PASSES[pass.kind];
      // The target's scheme first: most passes are not TLS, and their written parts are not needed.
      if (!tls || pass.target.scheme !== tls.scheme) continue;
      const address = pass.written;
      if (!address || address.hostHasVariables) continue;
      const serverName = lookupDirective(pass.node.parent, pass.tree, `${tls.prefix}_ssl_server_name`);
      if (!serverName.known || serverName.node?.directive.argValues[0]?.toLowerCase() === 'on') continue;
      const arg = pass.node.directive.args[0];
      const plan: DirectiveValue[] = [{ name: `${tls.prefix}_ssl_server_name`, value: 'on', current: serverName.node }];
      let message: string;
      if (pass.upstream) {
        const named = pass.upstream;
        const hosts = keptFor(hostNames, named, () => serverHostNames(named));
        if (hosts.length === 0) continue;
        const upstream = named.name;
        const sslName = lookupDirective(pass.node.parent, pass.tree, `${tls.prefix}_ssl_name`);
        const sendsUpstreamName = sslName.known && !sslName.node && !isHostName(upstream);
        message = `nginx sends no SNI to the servers of upstream "${upstream}" (${listSome(hosts, (host) => host)}): ${consequence(tls.prefix)}`;
        if (sendsUpstreamName) {
          message += ` With it on, nginx sends the upstream's name "${upstream}"; set "${tls.prefix}_ssl_name" to the server's host name too.`;
          // Several different hosts behind one upstream: no single name is right for all of them.
          if (hosts.length > 1) plan.length = 0;
          else plan.push({ name: `${tls.prefix}_ssl_name`, value: hosts[0] });
        }
      } else {
        if (!isHostName(address.host.text)) continue;
        message = `nginx sends no SNI to ${address.host.text}: ${consequence(tls.prefix)}`;
      }
      ctx.report({
        file: pass.node.file.id,
        range: rangeInArg(pass.node.file, arg, address.host),
        message,
        related: pass.upstream ? [{ file: pass.upstream.node.file.id, range: pass.upstream.node.directive.args[0].range, message: `upstream "${pass.upstream.name}" is defined here` }] : [],
        fixes: plan.length > 0
          ? [{ title: `Add ${plan.map((d) => `"${d.name} ${d.value};"`).join(' and ')}`, isPreferred: true, edits: setInBlockEdits(pass.node, plan) }]
          : [],
      });
    }
  },
};

/** The host names an upstream's live servers are written with, each once. */
function serverHostNames(upstream: NginxUpstream): string[] {
  return [...new Set(upstream.servers.filter((s) => !s.down).flatMap((s) => s.written?.host.text ?? []))].filter(isHostName);
}

function consequence(prefix: string): string {
  return `"${prefix}_ssl_server_name" is off, and a server that picks its certificate by name (Cloudflare, CDNs, shared hosting) refuses the TLS handshake (nginx logs "SSL_do_handshake() failed" with "sslv3 alert handshake failure" or "tlsv1 unrecognized name"), so nginx answers 502. Add "${prefix}_ssl_server_name on;".`;
}

/** A public-looking host name: dotted, not an address. Single-label names are internal services. */
function isHostName(host: string): boolean {
  return host.includes('.') && !isIpLiteral(host);
}
