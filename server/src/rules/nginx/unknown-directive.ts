import type { Rule } from '../../core/rule';
import { nearest } from '../../core/suggest';
import { forEachNginxNode } from '../../model/nginx-walk';
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
module you do load, add its name to the setting \`originDoctor.nginx.extraDirectives\`.`,
  check(ctx) {
    const extra = ctx.settings.nginx.extraDirectives;
    forEachNginxNode(ctx.model, (node) => {
      const { name, nameRange } = node.directive;
      if (node.context.block === 'raw' || isKnownNginxDirective(name, extra)) return;
      const suggestions = nearest(name, allNginxDirectiveNames());
      ctx.report({
        file: node.file.id,
        range: nameRange,
        message: `unknown directive "${name}": nginx -t fails and the configuration is not loaded.${suggestions.length > 0 ? ` Did you mean "${suggestions[0]}"?` : ''}`,
        fixes: suggestions.map((suggestion, i) => ({
          title: `Change to "${suggestion}"`,
          edits: [{ file: node.file.id, range: nameRange, newText: suggestion }],
          // Preferred only when the nearest spelling is the only one: then applying it is safe.
          ...(i === 0 && suggestions.length === 1 ? { isPreferred: true } : {}),
        })),
      });
    });
  },
};
