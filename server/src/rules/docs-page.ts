import type { Rule } from '../core/rule';

/** The Markdown page of a rule, shipped in docs/rules/<id>.md and linked from every diagnostic. */
export function ruleDocsPage(rule: Rule): string {
  return `# ${rule.id}

${rule.title}.

Default severity: **${rule.defaultSeverity}**. Change it with the setting
\`"originDoctor.rules": { "${rule.id}": "warning" }\` (\`off\`, \`hint\`, \`information\`, \`warning\`, \`error\`),
or silence one line with a comment above it: \`${rule.format === 'php-fpm' ? ';' : '#'} origin-doctor-disable-next-line ${rule.id}\`.

${rule.docs.trim()}
`;
}

/** The README's rule table: one row per rule, linking to its page. */
export function ruleTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.defaultSeverity} | ${r.title} |`);
  return ['| id | default | finds |', '|---|---|---|', ...rows].join('\n');
}

/** The README with its rule table (between the rules markers) brought up to date. */
export function withRuleTable(readme: string, rules: readonly Rule[]): string {
  return readme.replace(/<!-- rules:start -->[\s\S]*?<!-- rules:end -->/, `<!-- rules:start -->\n${ruleTable(rules)}\n<!-- rules:end -->`);
}
