import type { Related } from '../../core/findings';
import type { Rule, RuleContext } from '../../core/rule';
import { describeBlock, describeContext } from '../../model/nginx-context';
import { isContextInferred, type NginxNode, type NginxTree } from '../../model/nginx-tree';
import { nodesJudgedInPlace } from '../../model/nginx-walk';
import { nginxDirective } from '../../reference/nginx';

export const rule: Rule = {
  id: 'nginx/directive-not-allowed-here',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'Directive used in a context nginx does not allow',
  docs: `Flags a directive that nginx's documentation does not allow in the block it stands in, such as
\`proxy_pass\` directly in \`server\` or \`listen\` in \`location\`.

**At runtime:** \`nginx -t\` fails with \`"proxy_pass" directive is not allowed here\` and a reload is
refused, so the old configuration keeps serving — or, on a fresh start, nginx does not start and
Cloudflare answers 502 for every request.

**What to change:** move the directive into one of the contexts listed in the message. Contexts come
from nginx's official reference. A file meant to be included (a snippet) is judged in the context of
the block that includes it; a snippet no file includes is judged by what its content implies, and its
top level is never flagged.`,
  check(ctx) {
    for (const tree of ctx.model.nginxTrees) {
      for (const node of nodesJudgedInPlace(tree, (allowed) => (allowed.length === 0 ? (node) => isMisplaced(node, tree) : undefined))) report(ctx, node);
    }
  },
};

/** Where nginx allows the name nowhere: unless it stands in raw data or in a guessed context. */
function isMisplaced(node: NginxNode, tree: NginxTree): boolean {
  return node.context.block !== 'raw' && !isContextInferred(node, tree);
}

function report(ctx: RuleContext, node: NginxNode): void {
  const { name } = node.directive;
  const definitions = nginxDirective(name);
  const allowed = [...new Set(definitions.flatMap((d) => d.contexts.map((c) => describeBlock(c, d.family))))];
  const related: Related[] = [];
  const site = node.includedBy;
  if (site) related.push({ file: site.file.id, range: site.directive.range, message: `included here, in ${describeContext(site.context)}` });
  ctx.report({
    file: node.file.id,
    range: node.directive.nameRange,
    message: `"${name}" directive is not allowed here (in ${describeContext(node.context)}): nginx -t fails and the configuration is not loaded. Allowed in: ${allowed.join(', ')}.`,
    related,
  });
}
