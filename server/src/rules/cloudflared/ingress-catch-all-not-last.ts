import type { Fix } from '../../core/findings';
import type { Rule } from '../../core/rule';
import type { ParsedFile } from '../../model/workspace';
import type { CloudflaredIngressRule } from '../../parsers/cloudflared/ast';
import { isCatchAll } from './lib/ingress-rules';
import { entrySpan, moveIngressRuleAfter, removeLines } from './lib/edits';
import { goString } from './lib/go-yaml';

export const rule: Rule = {
  id: 'cloudflared/ingress-catch-all-not-last',
  format: 'cloudflared',
  defaultSeverity: 'error',
  title: 'An ingress rule before the last one matches every request',
  docs: `Reports an ingress rule that has no \`hostname\` (or \`hostname: "*"\`) and no \`path\` but is not the last rule.

**At runtime:** cloudflared sends each request to the first rule that matches, so every rule after a catch-all
would never be used. cloudflared refuses such a config and does not start:
\`Rule #1 is matching the hostname '', but this will match every hostname, meaning the rules which follow it will
never be triggered.\` Cloudflare then answers every hostname of the tunnel with an error page.

**What to change:** give the rule the \`hostname\` it was meant for, or move it to the end of the list. The quick fix
moves it to the end; when the last rule already matches everything, it removes this one instead.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { ingress } = file.parse.config;
      const last = ingress[ingress.length - 1];
      for (const rule of ingress.slice(0, -1)) {
        if (isCatchAll(file, rule) !== true) continue;
        const shown = rule.hostname ?? rule.service ?? rule.entries[0];
        const fix = isCatchAll(file, last) === true ? removal(file, rule) : movement(file, rule, last);
        ctx.report({
          file: file.id,
          range: shown ? entrySpan(shown) : rule.range,
          message: `Rule #${rule.index + 1} is matching the hostname '${goString(file, rule.hostname)}', but this will match ` +
            'every hostname, meaning the rules which follow it will never be triggered: cloudflared refuses to start',
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
  },
};

function movement(file: ParsedFile<unknown>, rule: CloudflaredIngressRule, last: CloudflaredIngressRule): Fix | undefined {
  const edits = moveIngressRuleAfter(file, rule, last);
  return edits && { title: 'Move this rule to the end of the list', isPreferred: true, edits };
}

function removal(file: ParsedFile<unknown>, rule: CloudflaredIngressRule): Fix | undefined {
  const edit = removeLines(file, rule.range);
  return edit && { title: 'Remove this rule: the last rule already matches every request', edits: [edit] };
}
