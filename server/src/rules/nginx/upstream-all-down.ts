import type { Related } from '../../core/findings';
import { groupedBy } from '../../core/grouped';
import type { Rule } from '../../core/rule';
import type { NginxPass, NginxUpstream } from '../../model/origin';
import type { NginxDirective } from '../../parsers/nginx/ast';
import { readsNothing } from './levels-and-edits';

export const rule: Rule = {
  id: 'nginx/upstream-all-down',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'Upstream without a server that can take requests',
  docs: `Flags an \`upstream\` block in which every \`server\` is marked \`down\`, or in which every
server is a \`backup\`.

**At runtime:** with every server \`down\`, nginx has no peer to pick: it logs \`no live upstreams\`
and answers **502** to every request passed to the upstream. With only \`backup\` servers nginx does
not start at all: \`nginx -t\` fails with \`no servers in upstream\` (backup servers are tried only
after a primary one failed, so an upstream needs at least one primary), a reload keeps the old
configuration and a fresh start leaves the origin down.

**What to change:** remove \`down\` from at least one server that is up, or \`backup\` from at
least one server. An upstream whose servers come from an \`include\` the workspace does not hold is
not judged.`,
  check(ctx) {
    // Servers an unreadable include adds are unknown: such an upstream is not judged.
    const unreadable = new Set(ctx.model.nginxTrees.flatMap((t) => t.includes.filter(readsNothing).map((r) => r.node.directive)));
    let passesBySource: Map<NginxDirective, NginxPass[]> | undefined;
    for (const upstream of ctx.model.origin.upstreams) {
      const { servers } = upstream;
      if (servers.length === 0 || upstream.node.children.some((child) => unreadable.has(child.directive))) continue;
      const onlyBackups = servers.every((s) => s.backup);
      if (!onlyBackups && !servers.every((s) => s.down)) continue;
      const name = upstream.node.directive.args[0];
      // By the source line: a file included twice yields two copies of one upstream. Grouped once, when first needed.
      passesBySource ??= groupedBy(ctx.model.origin.passes, (pass) => pass.upstream?.node.directive);
      const passes = passesBySource.get(upstream.node.directive) ?? [];
      ctx.report({
        file: upstream.node.file.id,
        range: name.range,
        message: onlyBackups
          ? `upstream "${upstream.name}" has only backup servers: nginx -t fails with "no servers in upstream" and the configuration is not loaded. Remove "backup" from at least one server.`
          : `every server of upstream "${upstream.name}" is marked down: nginx finds no live upstream and answers 502 to every request passed to it. Remove "down" from at least one server that is up.`,
        related: [...serverLines(upstream, onlyBackups), ...passLines(passes)],
      });
    }
  },
};

function serverLines(upstream: NginxUpstream, onlyBackups: boolean): Related[] {
  return upstream.servers.map((s) => ({
    file: s.node.file.id,
    range: s.node.directive.range,
    message: onlyBackups ? 'backup server' : 'marked down',
  }));
}

function passLines(passes: NginxPass[]): Related[] {
  return passes.map((p) => ({ file: p.node.file.id, range: p.node.directive.range, message: 'proxies to this upstream' }));
}

