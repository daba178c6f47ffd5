import type { Severity } from '../../core/findings';
import type { Rule } from '../../core/rule';
import type { IncludeProblem } from '../../model/nginx-tree';

type ReportedProblem = Exclude<IncludeProblem, { kind: 'cycle' }>;

export const rule: Rule = {
  id: 'nginx/include-not-found',
  format: 'nginx',
  defaultSeverity: 'error',
  title: 'include names a file nginx cannot read',
  docs: `Flags an \`include\` whose file does not exist, cannot be read, is not a regular file, or is too large
to be a configuration, and a glob that matches more files than a configuration can sensibly load.

**At runtime:** \`nginx -t\` fails with \`open() "…" failed (2: No such file or directory)\` and nginx
refuses to start or reload; a file nginx may not read fails with \`(13: Permission denied)\`, a directory
with \`pread() "…" failed (21: Is a directory)\`, and a named pipe (FIFO) makes nginx wait forever. A device
such as \`/dev/null\` reads as empty. A glob that matches nothing is fine for nginx and is not flagged.

**How paths resolve:** like nginx, a relative path resolves against the directory of the main
configuration (nginx's conf prefix), not the including file. For a snippet that no main configuration
includes, the including file's directory is tried first, then the directory of the workspace's
\`nginx.conf\`. The standard files of the nginx package (\`mime.types\`, \`fastcgi_params\`,
\`snippets/fastcgi-php.conf\`, …) are assumed present when the workspace does not hold them.

**What is never read:** anything but a regular file of at most 16 MB. A file that exists but that this user
may not read is a warning, not an error: nginx's master process, usually root, may still read it. In an
untrusted workspace a file outside the workspace folders is not read either, and the \`include\` says so
as information.

**What to change:** fix the path, create the file, or use a glob if the file is optional.`,
  check(ctx) {
    for (const tree of ctx.model.nginxTrees) {
      for (const include of tree.includes) {
        const argument = include.node.directive.args[0];
        for (const problem of include.problems) {
          if (problem.kind === 'cycle') continue;
          const where = include.pattern.startsWith('/') ? '' : ` Relative paths resolve against the ${include.base.reason} (${include.base.dir}).`;
          ctx.report({ file: include.node.file.id, range: argument.range, message: describe(problem) + where, severity: severityOf(problem) });
        }
      }
    }
  },
};

/** Below an error where nginx may well load the configuration: it reads a device as empty, and usually reads as root. */
function severityOf(problem: ReportedProblem): Severity | undefined {
  if (problem.kind === 'untrusted') return 'information';
  if (problem.kind === 'unreadable' || (problem.kind === 'not-a-file' && problem.what === 'device')) return 'warning';
  return undefined;
}

function describe(problem: ReportedProblem): string {
  switch (problem.kind) {
    case 'not-found':
      return `open() "${problem.path}" failed (2: No such file or directory): nginx -t fails and nginx will not start or reload.`;
    case 'not-a-file':
      return describeNotAFile(problem.path, problem.what);
    case 'unreadable':
      return `"${problem.path}" exists but cannot be read: permission denied for this user, so it was not checked; nginx -t fails with `
        + `open() "${problem.path}" failed (13: Permission denied) when nginx's user cannot read it either.`;
    case 'untrusted':
      return `not read: workspace not trusted. "${problem.path}" lies outside the workspace folders, and nothing outside them is read `
        + 'until the workspace is trusted.';
    case 'too-large':
      return `"${problem.path}" is ${problem.size} bytes, too large for a configuration file; it was not read.`;
    case 'too-many':
      return `"${problem.pattern}" matches more than ${problem.limit} files; only the first ${problem.limit} were read.`;
  }
}

function describeNotAFile(path: string, what: Extract<IncludeProblem, { kind: 'not-a-file' }>['what']): string {
  switch (what) {
    case 'directory':
      return `"${path}" is a directory, not a regular file: nginx -t fails with pread() "${path}" failed (21: Is a directory) and nginx will not start or reload.`;
    case 'fifo':
      return `"${path}" is a named pipe (FIFO), not a regular file: nginx waits to open it until something writes to it, so nginx -t and nginx hang. It was not read.`;
    case 'device':
      return `"${path}" is a device, not a regular file: nginx reads it as empty, so this include adds nothing. It was not read.`;
    case 'socket':
      return `"${path}" is a socket, not a regular file: nginx -t fails with open() "${path}" failed (6: No such device or address) and nginx will not start or reload.`;
    case undefined:
      return `"${path}" is not a regular file: nginx cannot read it as a configuration and refuses to start.`;
  }
}
