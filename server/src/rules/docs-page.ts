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
