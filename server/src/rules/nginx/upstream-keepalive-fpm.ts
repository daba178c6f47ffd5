import type { Rule, RuleContext } from '../../core/rule';
import type { NginxNode } from '../../model/nginx-tree';
import { distinctByPlace, mainContextDirectives, passesTo, poolsReachedBy, type FpmPool, type NginxPass, type NginxUpstream } from '../../model/origin';

export const rule: Rule = {
  id: 'nginx/upstream-keepalive-fpm',
  format: 'nginx',
  defaultSeverity: 'hint',
  title: 'Keepalive to PHP-FPM that holds its children, or that does nothing',
  docs: `Looks at keepalive between nginx and PHP-FPM, which takes two directives: \`keepalive N\` in the
\`upstream\` that \`fastcgi_pass\` names, and \`fastcgi_keep_conn on\`.

- With both, each connection nginx keeps idle holds one PHP-FPM child: php-fpm serves a kept-alive
  connection's next request on the same child, which waits for it. Flagged (on \`keepalive\`) when a pool of the
  workspace that the upstream reaches has \`pm.max_children\` at or below what nginx may keep idle: \`N\` per
  worker, times \`worker_processes\` when \`nginx.conf\` sets a number (a single worker reuses its own idle
  connections, so \`worker_processes 1\` is not flagged; \`auto\` or no \`nginx.conf\` counts one worker's \`N\`).
- With only one of them, nothing is kept: \`fastcgi_keep_conn on\` without an upstream \`keepalive\` lets nginx
  close each connection anyway, and \`keepalive\` without \`fastcgi_keep_conn on\` finds php-fpm closing each
  connection itself. Flagged on the directive that has no effect.

**At runtime:** when idle connections of some nginx workers hold every child, another worker's requests wait in
php-fpm's listen queue (\`server reached pm.max_children setting\` in php-fpm's log) until nginx gives up (504)
or the queue overflows (502).

**What to change:** keep \`keepalive\` × workers well below \`pm.max_children\`, or drop keepalive to PHP-FPM
(over a unix socket, a new connection costs little).`,
  check(ctx) {
    const { origin } = ctx.model;
    const fastcgi = origin.passes.filter((pass) => pass.kind === 'fastcgi_pass');
    reportIdleKeepConn(ctx, fastcgi);
    const workers = workerCount(ctx);
    for (const upstream of origin.upstreams) {
      const keepalive = upstream.node.children.find((child) => child.directive.name === 'keepalive');
      const connections = Number(keepalive?.directive.argValues[0]);
      const users = passesTo(origin, upstream);
      if (!keepalive || !Number.isInteger(connections) || !users.some((pass) => pass.kind === 'fastcgi_pass')) continue;
      const keeping = users.filter(keepsConnections);
      if (keeping.length === 0) {
        if (users.every((pass) => pass.kind === 'fastcgi_pass')) {
          ctx.report({
            file: keepalive.file.id,
            range: keepalive.directive.range,
            message: `keepalive in upstream ${upstream.name} has no effect: without fastcgi_keep_conn on, php-fpm closes each connection after the response, so nginx never has an idle connection to keep.`,
          });
        }
        continue;
      }
      if (workers === 1) continue;
      const idle = connections * (workers ?? 1);
      for (const pool of new Set(keeping.flatMap((pass) => poolsReachedBy(origin, pass)))) {
        const children = pool.get('pm.max_children');
        if (!children || !/^\d+$/.test(children.value) || Number(children.value) > idle) continue;
        ctx.report({
          file: keepalive.file.id,
          range: keepalive.directive.range,
          message: pinningMessage(upstream, connections, workers, pool, children.value),
          related: [
            { file: pool.file.id, range: children.range, message: `pool [${pool.name}] runs at most ${children.value} children` },
            ...distinctByPlace(keeping.map((pass) => pass.effective('fastcgi_keep_conn')!), placeOf)
              .map((node) => ({ ...placeOf(node), message: 'fastcgi_keep_conn on keeps the connections open' })),
          ],
        });
      }
    }
  },
};

function keepsConnections(pass: NginxPass): boolean {
  return pass.kind === 'fastcgi_pass' && pass.effective('fastcgi_keep_conn')?.directive.argValues[0]?.toLowerCase() === 'on';
}

/** `fastcgi_keep_conn on` whose every fastcgi_pass goes without an upstream keepalive. */
function reportIdleKeepConn(ctx: RuleContext, passes: NginxPass[]): void {
  const byDirective = new Map<NginxNode, NginxPass[]>();
  for (const pass of passes.filter(keepsConnections)) {
    const node = pass.effective('fastcgi_keep_conn')!;
    byDirective.set(node, [...(byDirective.get(node) ?? []), pass]);
  }
  for (const [node, covered] of byDirective) {
    if (covered.some((pass) => pass.upstream?.node.children.some((child) => child.directive.name === 'keepalive'))) continue;
    ctx.report({
      ...placeOf(node),
      message: 'fastcgi_keep_conn on has no effect: no fastcgi_pass it applies to goes through an upstream with keepalive, so nginx closes each connection to PHP-FPM after the response anyway.',
    });
  }
}

/** `worker_processes` when every main configuration sets the same number (1 when it is not set); undefined for `auto` or none. */
function workerCount(ctx: RuleContext): number | undefined {
  const counts = mainContextDirectives(ctx.model.nginxTrees, 'worker_processes').map((node) => (node ? Number(node.directive.argValues[0]) : 1));
  return counts.length > 0 && counts.every((count) => Number.isInteger(count) && count === counts[0]) ? counts[0] : undefined;
}

function pinningMessage(upstream: NginxUpstream, connections: number, workers: number | undefined, pool: FpmPool, children: string): string {
  const held = workers === undefined ? `${connections} idle connections per nginx worker` : `${connections} idle connections per worker (${workers} workers: ${connections * workers})`;
  return `upstream ${upstream.name} keeps up to ${held}, each holding a child of pool [${pool.name}], which has pm.max_children = ${children}: `
    + "once other workers' idle connections hold every child, new requests wait in php-fpm's listen queue until nginx gives up (504) or the queue overflows (502).";
}

function placeOf(node: NginxNode) {
  return { file: node.file.id, range: node.directive.range };
}
