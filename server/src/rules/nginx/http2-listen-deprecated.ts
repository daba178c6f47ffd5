import type { TextEdit } from '../../core/findings';
import type { Rule } from '../../core/rule';
import { compareVersions } from '../../model/nginx-values';
import type { NginxServer } from '../../model/origin';
import { insertAfter, lookupDirective, replaceArgument } from './levels-and-edits';

/** nginx 1.25.1 added the `http2` directive and deprecated `listen … http2` (CHANGES 1.25.1). */
const HTTP2_DIRECTIVE_SINCE = '1.25.1';

export const rule: Rule = {
  id: 'nginx/http2-listen-deprecated',
  format: 'nginx',
  defaultSeverity: 'hint',
  title: 'HTTP/2 turned on the deprecated way',
  docs: `Flags the \`http2\` parameter of \`listen\` when the nginx version in use is 1.25.1 or later,
where it is deprecated in favour of the \`http2 on;\` directive. The rule follows the setting
\`originDoctor.nginx.version\` (or \`nginx -v\`) and stays silent before 1.25.1, where the parameter
is the only way and \`http2 on;\` is an unknown directive.

**At runtime:** nginx still enables HTTP/2, but every \`nginx -t\` and reload warns
\`the "listen ... http2" directive is deprecated\`, and the parameter switches HTTP/2 on for every
server that shares the address, not only this one.

**What to change:** remove \`http2\` from the \`listen\` lines and put \`http2 on;\` in the server
block (quick fix: once per server, however many listens carry the parameter). Another server on
the same address that relied on this parameter then needs its own \`http2 on;\`.`,
  check(ctx) {
    const version = ctx.settings.nginx.version;
    if (compareVersions(version, HTTP2_DIRECTIVE_SINCE) < 0) return;
    for (const server of ctx.model.origin.servers) {
      const flagged = server.listens.filter((l) => l.http2);
      if (flagged.length === 0) continue;
      const fix = { title: 'Replace "listen … http2" with "http2 on;"', edits: serverEdits(server), isPreferred: true };
      for (const listen of flagged) {
        const args = listen.node.directive.args;
        ctx.report({
          file: listen.node.file.id,
          range: args.find((a, i) => i > 0 && a.value === 'http2')!.range,
          message: `"listen … http2" is deprecated since nginx 1.25.1 (nginx ${version} assumed): every reload warns about it. Remove "http2" here and put "http2 on;" in the server block.`,
          fixes: [fix],
        });
      }
    }
  },
};

/** Drops ` http2` from every listen of the server and turns HTTP/2 on once in the server itself. */
function serverEdits(server: NginxServer): TextEdit[] {
  const listens = server.listens.filter((l) => l.http2);
  const edits: TextEdit[] = listens.map(({ node }) => {
    const args = node.directive.args;
    const index = args.findIndex((a, i) => i > 0 && a.value === 'http2');
    return { file: node.file.id, range: { start: args[index - 1].range.end, end: args[index].range.end }, newText: '' };
  });
  const own = server.node.children.find((c) => c.directive.name === 'http2');
  if (own) {
    if (own.directive.args[0]?.value.toLowerCase() !== 'on') edits.push(replaceArgument(own, 0, 'on'));
    return edits;
  }
  const inherited = lookupDirective(server.node, server.tree, 'http2');
  const onAlready = inherited.known && inherited.node?.directive.args[0]?.value.toLowerCase() === 'on';
  if (!onAlready) edits.push(insertAfter(listens[0].node, ['http2 on;']));
  return edits;
}
