import type { Rule, RuleContext } from '../../core/rule';
import type { NginxNode } from '../../model/nginx-tree';
import { replaceArgument } from './levels-and-edits';

/** nginx's default worker_connections (DEFAULT_CONNECTIONS in ngx_event.c), and the floor below which we warn. */
const DEFAULT_WORKER_CONNECTIONS = 512;
const RAISED_WORKER_CONNECTIONS = 1024;

export const rule: Rule = {
  id: 'nginx/worker-capacity',
  format: 'nginx',
  defaultSeverity: 'hint',
  title: 'Too few connections or workers for a traffic spike',
  docs: `Flags, in a main configuration (\`nginx.conf\`):

- \`worker_connections\` below 512 (nginx's own default);
- \`worker_rlimit_nofile\` below \`worker_connections\`: a worker cannot open as many descriptors as
  it may hold connections (nginx says so at start: "worker_connections exceed open file resource
  limit");
- \`worker_processes 1\`: one worker, one CPU core, however many the machine has.

**At runtime:** a proxied request holds two connections (the visitor's and the backend's), so a
worker with 256 connections serves about 128 requests at once. In a spike nginx logs
"worker_connections are not enough" or "Too many open files": new visitors wait or are refused and
requests to the backend fail, which Cloudflare shows as a 5xx page.

**What to change:** \`worker_connections 1024;\` or more, \`worker_rlimit_nofile\` at least twice
\`worker_connections\`, and \`worker_processes auto;\` (one worker per core). Quick fixes set these.`,
  check(ctx) {
    for (const tree of ctx.model.nginxTrees) {
      if (tree.inferred || tree.rootContext.block !== 'main') continue;
      const events = tree.nodes.find((n) => n.directive.name === 'events' && n.directive.block);
      const connections = events?.children.find(oneValue('worker_connections'));
      checkConnections(ctx, connections);
      checkFileLimit(ctx, tree.nodes.find(oneValue('worker_rlimit_nofile')), connections);
      checkProcesses(ctx, tree.nodes.find(oneValue('worker_processes')));
    }
  },
};

function checkConnections(ctx: RuleContext, line: NginxNode | undefined): void {
  const connections = line && count(line);
  if (!line || connections === undefined || connections >= DEFAULT_WORKER_CONNECTIONS) return;
  ctx.report({
    file: line.file.id,
    range: line.directive.args[0].range,
    message: `worker_connections ${connections}: each worker holds at most ${connections} connections, and a proxied request takes two, so a traffic spike ends in "worker_connections are not enough" and refused or failed requests. Raise it to ${RAISED_WORKER_CONNECTIONS} or more.`,
    fixes: [{ title: `Raise worker_connections to ${RAISED_WORKER_CONNECTIONS}`, edits: [replaceArgument(line, 0, String(RAISED_WORKER_CONNECTIONS))], isPreferred: true }],
  });
}

function checkFileLimit(ctx: RuleContext, line: NginxNode | undefined, connectionsLine: NginxNode | undefined): void {
  const limit = line && count(line);
  const connections = connectionsLine ? count(connectionsLine) : DEFAULT_WORKER_CONNECTIONS;
  if (!line || limit === undefined || connections === undefined || limit >= connections) return;
  // Twice what a worker may hold, and enough for the raised worker_connections, so both fixes together hold.
  const raised = String(2 * Math.max(connections, RAISED_WORKER_CONNECTIONS));
  ctx.report({
    file: line.file.id,
    range: line.directive.args[0].range,
    message: `worker_rlimit_nofile ${limit} is below worker_connections (${connections}${connectionsLine ? '' : ', the default'}): a worker runs out of file descriptors ("Too many open files") before it runs out of connections, and requests fail under a spike. Raise it to ${raised}, at least twice worker_connections: a proxied request takes two descriptors.`,
    related: connectionsLine ? [{ file: connectionsLine.file.id, range: connectionsLine.directive.range, message: 'worker_connections is set here' }] : [],
    fixes: [{ title: `Raise worker_rlimit_nofile to ${raised}`, edits: [replaceArgument(line, 0, raised)], isPreferred: true }],
  });
}

function checkProcesses(ctx: RuleContext, line: NginxNode | undefined): void {
  if (line?.directive.argValues[0] !== '1') return;
  ctx.report({
    file: line.file.id,
    range: line.directive.args[0].range,
    message: 'worker_processes 1: a single worker on one CPU core holds every connection, so a traffic spike runs out of connections sooner ("worker_connections are not enough"). Use "auto" for one worker per core.',
    fixes: [{ title: 'Set worker_processes to auto', edits: [replaceArgument(line, 0, 'auto')], isPreferred: true }],
  });
}

function oneValue(name: string): (node: NginxNode) => boolean {
  return (node) => node.directive.name === name && node.directive.argValues.length === 1;
}

/** A plain count as nginx's ngx_atoi reads it; undefined for anything else. */
function count(node: NginxNode): number | undefined {
  const value = node.directive.argValues[0];
  return /^\d+$/.test(value) ? Number(value) : undefined;
}
