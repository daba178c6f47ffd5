import type { Rule } from '../../core/rule';
import { NearestNames } from '../../core/suggest';
import { definitionsAllowedIn } from '../../model/nginx-context';
import { firstNamed } from '../../model/nginx-level-index';
import type { NginxNode, NginxTree } from '../../model/nginx-tree';
import { forEachNamedNode } from '../../model/nginx-walk';
import { allNginxDirectiveNames, isKnownNginxDirective } from '../../reference/nginx';

export const rule: Rule = {
  id: 'nginx/unknown-directive',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'Directive nginx does not know',
  docs: `Flags a directive that is neither in nginx's official reference nor a well-known third-party
module's (OpenResty/lua, headers-more, echo, brotli, geoip2, …), usually a typo such as \`proxy_passs\`.

**At runtime:** \`nginx -t\` fails with \`unknown directive "proxy_passs"\`; the configuration is not
loaded, so a reload keeps the old one and a fresh start leaves the origin down (Cloudflare shows 502).

**What to change:** take the suggested spelling (quick fix), or, for a directive of a third-party
module you do load, add its name to the setting \`originDoctor.nginx.extraDirectives\`. Spellings nginx
allows in this block come first; the fix is marked preferred only when one spelling is nearest, it is
allowed here and the block does not set it already (a second one may fail as "is duplicate"). Spellings
are suggested for the first 1,000 distinct unknown names of a configuration: more than that is a file that is not
nginx's.`,
  check(ctx) {
    const extra = ctx.settings.nginx.extraDirectives;
    // An unknown name often repeats (a third-party module's directive on every site, a file that is not nginx's).
    const nearestKnown = new NearestNames(allNginxDirectiveNames);
    // Judged once per name, not per directive: a big config repeats a few dozen names.
    const unknown = new Set<string>();
    for (const tree of ctx.model.nginxTrees) for (const name of tree.byName.keys()) if (!isKnownNginxDirective(name, extra)) unknown.add(name);
    forEachNamedNode(ctx.model, [...unknown], (node, tree) => {
      const { name, nameRange } = node.directive;
      if (node.context.block === 'raw') return;
      const suggestions = allowedFirst([...nearestKnown.of(name)], node);
      ctx.report({
        file: node.file.id,
        range: nameRange,
        message: `unknown directive "${name}": nginx -t fails and the configuration is not loaded.${suggestions.length > 0 ? ` Did you mean "${suggestions[0]}"?` : ''}`,
        fixes: suggestions.map((suggestion, i) => ({
          title: `Change to "${suggestion}"`,
          edits: [{ file: node.file.id, range: nameRange, newText: suggestion }],
          // Preferred only where applying it blindly is safe: one nearest spelling, one nginx takes here, not set yet.
          ...(i === 0 && suggestions.length === 1 && isSafeRename(suggestion, node, tree) ? { isPreferred: true } : {}),
        })),
      });
    });
  },
};

function isAllowedHere(name: string, node: NginxNode): boolean {
  return definitionsAllowedIn(name, node.context).length > 0;
}

/** Equally near spellings, those nginx accepts in this block first (the sort is stable). */
function allowedFirst(suggestions: string[], node: NginxNode): string[] {
  return suggestions.sort((a, b) => Number(isAllowedHere(b, node)) - Number(isAllowedHere(a, node)));
}

function isSafeRename(suggestion: string, node: NginxNode, tree: NginxTree): boolean {
  const siblings = node.parent ? node.parent.children : tree.nodes;
  return isAllowedHere(suggestion, node) && firstNamed(siblings, suggestion) === undefined;
}
