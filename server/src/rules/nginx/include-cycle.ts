import type { Rule } from '../../core/rule';

export const rule: Rule = {
  id: 'nginx/include-cycle',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'include loops back to a file already being read',
  docs: `Flags an \`include\` that reads a file already on the include path: a file including itself,
A → B → A, or a glob that matches the file it stands in.

**At runtime:** nginx has no loop guard: it opens the same files again and again until it runs out of
file descriptors or memory, then fails to start or reload.

**What to change:** narrow the glob (for example \`sites-enabled/*.conf\` instead of \`*\`) or remove
the \`include\` that closes the loop.`,
  check(ctx) {
    for (const tree of ctx.model.nginxTrees) {
      for (const include of tree.includes) {
        for (const problem of include.problems) {
          if (problem.kind !== 'cycle') continue;
          ctx.report({
            file: include.node.file.id,
            range: include.node.directive.args[0].range,
            message: `include loops: ${problem.chain.join(' → ')}. nginx would read these files endlessly and fail to start.`,
          });
        }
      }
    }
  },
};
