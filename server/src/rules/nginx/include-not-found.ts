import type { Rule } from '../../core/rule';
import type { IncludeProblem } from '../../model/nginx-tree';

export const rule: Rule = {
  id: 'nginx/include-not-found',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'include names a file nginx cannot read',
  docs: `Flags an \`include\` whose file does not exist, is not a regular file, or is too large to be a
configuration, and a glob that matches more files than a configuration can sensibly load.

**At runtime:** \`nginx -t\` fails with \`open() "…" failed (2: No such file or directory)\` and nginx
refuses to start or reload. A glob that matches nothing is fine for nginx and is not flagged.

**How paths resolve:** like nginx, a relative path resolves against the directory of the main
configuration (nginx's conf prefix), not the including file. For a snippet that no main configuration
includes, the including file's directory is tried first, then the directory of the workspace's
\`nginx.conf\`. The standard files of the nginx package (\`mime.types\`, \`fastcgi_params\`,
\`snippets/fastcgi-php.conf\`, …) are assumed present when the workspace does not hold them.

**What to change:** fix the path, create the file, or use a glob if the file is optional.`,
  check(ctx) {
    for (const tree of ctx.model.nginxTrees) {
      for (const include of tree.includes) {
        const argument = include.node.directive.args[0];
        for (const problem of include.problems) {
          if (problem.kind === 'cycle') continue;
          const where = include.pattern.startsWith('/') ? '' : ` Relative paths resolve against the ${include.base.reason} (${include.base.dir}).`;
          ctx.report({ file: include.node.file.id, range: argument.range, message: describe(problem) + where });
        }
      }
    }
  },
};

function describe(problem: Exclude<IncludeProblem, { kind: 'cycle' }>): string {
  switch (problem.kind) {
    case 'not-found':
      return `open() "${problem.path}" failed (2: No such file or directory): nginx -t fails and nginx will not start or reload.`;
    case 'not-a-file':
      return `"${problem.path}" is not a regular file: nginx cannot read it as a configuration and refuses to start.`;
    case 'too-large':
      return `"${problem.path}" is ${problem.size} bytes, too large for a configuration file; it was not read.`;
    case 'too-many':
      return `"${problem.pattern}" matches more than ${problem.limit} files; only the first ${problem.limit} were read.`;
  }
}
