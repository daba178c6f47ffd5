import type { Related, TextEdit } from '../../core/findings';
import type { Rule } from '../../core/rule';
import type { NginxNode } from '../../model/nginx-tree';
import { compareVersions } from '../../model/nginx-values';
import type { NginxPass } from '../../model/origin';
import { insertAfter, lookupDirective, lookupDirectiveList, replaceArgument, setsProxyHeader, type Level } from './levels-and-edits';

/** nginx 1.29.7 made HTTP/1.1 the proxy default and stopped sending `Connection: close` (CHANGES 1.29.7). */
const KEEPALIVE_BY_DEFAULT = '1.29.7';
const HTTP11 = 'proxy_http_version 1.1;';
const CLEAR_CONNECTION = 'proxy_set_header Connection "";';

export const rule: Rule = {
  id: 'nginx/keepalive-needs-http11',
  format: 'nginx',
  defaultSeverity: 'warning',
  title: 'Upstream keepalive that proxy_pass turns off',
  docs: `Flags a \`proxy_pass\` to an \`upstream\` with \`keepalive\` where the request still goes out as
HTTP/1.0 or with \`Connection: close\`: before nginx 1.29.7 that is the default unless the location
(or a level it inherits from) sets \`proxy_http_version 1.1\` and \`proxy_set_header Connection ""\`.
\`proxy_set_header\` lines are inherited only by a level that has none of its own, so a single
\`proxy_set_header Host $host;\` in a location hides a \`Connection ""\` set in the server.

**At runtime:** the backend closes the connection after every response, so nginx keeps nothing in
the pool: keepalive is silently off and every request opens a new connection. Under a traffic spike
the backend's accept queue and the machine's local ports run out, connects fail and nginx answers
**502**.

**What to change:** add \`proxy_http_version 1.1;\` and \`proxy_set_header Connection "";\` (quick
fix). Where the location inherits its \`proxy_set_header\` lines, the fix adds the \`Connection\` line
to the level they come from, so the other headers stay in force.

Since nginx 1.29.7 both are the default, and only an explicit \`proxy_http_version 1.0\` is flagged;
the rule follows the setting \`originDoctor.nginx.version\` (or \`nginx -v\`) and names the version it
assumed. An explicit \`Connection\` value (such as the WebSocket \`$connection_upgrade\`) is taken as
deliberate. A location whose settings may come from a file the workspace does not hold is not judged.`,
  check(ctx) {
    const version = ctx.settings.nginx.version;
    const modern = compareVersions(version, KEEPALIVE_BY_DEFAULT) >= 0;
    for (const pass of ctx.model.origin.passes) {
      const keepalive = pass.kind === 'proxy_pass' ? pass.upstream?.node.children.find(isKeepaliveOn) : undefined;
      if (!keepalive) continue;
      const level = pass.node.parent;
      const httpVersion = lookupDirective(level, pass.tree, 'proxy_http_version');
      const headers = lookupDirectiveList(level, pass.tree, 'proxy_set_header');
      const oldHttp = httpVersion.known && (httpVersion.node ? httpVersion.node.directive.argValues[0] === '1.0' : !modern);
      const closes = !modern && headers.known && !setsProxyHeader(headers.nodes, 'connection');
      if (!oldHttp && !closes) continue;
      const what = [oldHttp ? 'speaks HTTP/1.0' : '', closes ? 'sends "Connection: close"' : ''].filter(Boolean).join(' and ');
      const add = [oldHttp ? HTTP11 : '', closes ? CLEAR_CONNECTION : ''].filter(Boolean).map((d) => d.slice(0, -1)).join(' and ');
      const explicitOld = oldHttp && httpVersion.known ? httpVersion.node : undefined;
      ctx.report({
        file: pass.node.file.id,
        range: pass.node.directive.args[0].range,
        message: `upstream "${pass.upstream!.name}" keeps connections alive, but this proxy_pass ${what}: nginx closes each upstream connection after one response, so every request opens a new one and a traffic spike ends in 502. Set ${add} (nginx ${version} assumed).`,
        related: [
          { file: keepalive.file.id, range: keepalive.directive.range, message: 'keepalive is set here' },
          ...(explicitOld ? [{ file: explicitOld.file.id, range: explicitOld.directive.range, message: 'HTTP/1.0 is set here' }] : []),
        ] satisfies Related[],
        fixes: [{
          title: `Set ${add}`,
          edits: fixEdits(pass, oldHttp ? explicitOld ?? 'missing' : undefined, closes && headers.known ? headers : undefined),
          isPreferred: true,
        }].filter((fix) => fix.edits.length > 0),
      });
    }
  },
};

function isKeepaliveOn(node: NginxNode): boolean {
  // `keepalive 0` (accepted since 1.29.7) keeps no connection: nothing to lose.
  return node.directive.name === 'keepalive' && Number(node.directive.argValues[0]) > 0;
}

/**
 * `httpVersion`: the `proxy_http_version 1.0` line to change, or `missing`. `headers`: the
 * `proxy_set_header` lines in force (which lack Connection) and their level. No fix inside `if` or
 * `limit_except`, where neither directive is allowed.
 */
function fixEdits(pass: NginxPass, httpVersion: NginxNode | 'missing' | undefined, headers: { nodes: readonly NginxNode[]; level: Level } | undefined): TextEdit[] {
  const level = pass.node.parent;
  if (level && level.directive.name !== 'location') return [];
  const afterPass: string[] = [];
  const edits: TextEdit[] = [];
  // A 1.0 line at this level is changed in place: a second proxy_http_version at one level is refused.
  if (httpVersion !== undefined && httpVersion !== 'missing' && httpVersion.parent === level) edits.push(replaceArgument(httpVersion, 0, '1.1'));
  else if (httpVersion !== undefined) afterPass.push(HTTP11);
  // Inherited lines stay in force only if Connection joins them at their level; a line here would hide them.
  if (headers && headers.nodes.length > 0 && headers.level !== level) edits.push(insertAfter(headers.nodes[headers.nodes.length - 1], [CLEAR_CONNECTION]));
  else if (headers) afterPass.push(CLEAR_CONNECTION);
  if (afterPass.length > 0) edits.push(insertAfter(pass.node, afterPass));
  return edits;
}
