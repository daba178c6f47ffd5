import type { Rule } from '../../core/rule';
import { replaceInValue } from './lib/edits';
import { goString } from './lib/go-yaml';
import { hostnameProblem, matchedOnlyAsWritten } from './lib/hostnames';
import { hasPlaceholder } from './lib/placeholders';

export const rule: Rule = {
  id: 'cloudflared/hostname-never-matches',
  format: 'cloudflared',
  defaultSeverity: 'warning',
  title: 'An ingress hostname that no request can match',
  docs: `Reports an ingress rule \`hostname\` that cloudflared accepts but that no visitor's request will ever match:

- a \`*\` not followed by \`.\` (\`*example.com\`): cloudflared's only wildcard is a leading \`*.\`, which matches
  subdomains; any other hostname is compared as written, so \`*example.com\` would need a request for the host
  \`*example.com\`;
- upper-case letters in a hostname that cloudflared compares only as written: a wildcard (\`*.Example.com\`) or a
  name with \`_\`. cloudflared compares hostnames case-sensitively, and browsers send the host in lower case. (A plain
  name such as \`App.Example.com\` still matches, because cloudflared also matches its lower-cased IDNA form.)
- a \`/\` (\`example.com/app\`): the host of a request never holds a path.

**At runtime:** the rule never applies. Its requests fall through to a later rule, usually the catch-all, and get
its answer: a 404, another site, or a 502 from an origin that does not expect them.

**What to change:** write wildcards as \`"*.example.com"\`, hostnames in lower case, and a path in the rule's
\`path:\` key (a regular expression such as \`^/app\`). The quick fixes insert the \`.\` and lower-case the name.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      for (const rule of file.parse.config.ingress) {
        const entry = rule.hostname;
        const hostname = goString(file, entry);
        // A hostname cloudflared refuses is invalid-hostname's.
        if (!entry || !hostname || hasPlaceholder(hostname) || hostnameProblem(hostname)) continue;
        for (const { message, fix } of problemsOf(hostname)) {
          const edit = fix && replaceInValue(file, entry, fix.from, fix.to, fix.text);
          ctx.report({
            file: file.id,
            range: entry.valueRange,
            message,
            ...(edit && fix ? { fixes: [{ title: `Change to \`${fix.result}\``, isPreferred: true, edits: [edit] }] } : {}),
          });
        }
      }
    }
  },
};

interface Problem {
  message: string;
  /** Replace `hostname.slice(from, to)` with `text`, giving `result`. */
  fix?: { from: number; to: number; text: string; result: string };
}

function problemsOf(hostname: string): Problem[] {
  const problems: Problem[] = [];
  if (hostname.startsWith('*') && hostname !== '*' && hostname[1] !== '.') {
    const result = `*.${hostname.slice(1)}`;
    problems.push({
      message: `"${hostname}" matches no request: the only wildcard cloudflared knows is a leading "*." for subdomains. Did you mean "${result}"?`,
      fix: { from: 1, to: 1, text: '.', result },
    });
  }
  if (/[A-Z]/.test(hostname) && matchedOnlyAsWritten(hostname)) {
    const result = hostname.toLowerCase();
    problems.push({
      message: `"${hostname}" never matches: cloudflared compares this hostname case-sensitively, and browsers send host names in lower case. Write it in lower case`,
      fix: { from: 0, to: hostname.length, text: result, result },
    });
  }
  if (hostname.includes('/')) {
    problems.push({
      message: `"${hostname}" never matches: the host of a request holds no path. Put the path in the rule's \`path:\` key, as a regular expression`,
    });
  }
  return problems;
}
