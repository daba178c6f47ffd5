import type { Fix, TextEdit } from '../../core/findings';
import type { Rule, RuleContext } from '../../core/rule';
import type { Position } from '../../core/text';
import { lineBreak } from '../../model/fpm-edits';
import { fastcgiPassesReaching, mainContextDirectives, type FpmPool } from '../../model/origin';
import type { FpmEntry } from '../../parsers/phpfpm/ast';
import { expandPool } from '../../parsers/phpfpm/parser';

/** Who nginx's workers run as: `user name [group]`, the group named like the user when omitted. */
interface NginxIdentity {
  user: string;
  group: string;
  /** Where the workspace says so; absent for an assumed identity. */
  source?: string;
  label?: string;
}

/** nginx's built-in default and the users of the common packages, for when no `user` says which. */
const ASSUMED_IDENTITIES: readonly NginxIdentity[] = [
  { user: 'nobody', group: 'nobody', label: "nginx's default" },
  { user: 'www-data', group: 'www-data', label: 'Debian, Ubuntu' },
  { user: 'nginx', group: 'nginx', label: 'nginx.org, RHEL, Alpine' },
  { user: 'http', group: 'http', label: 'Arch' },
];

/** The php-fpm master's user when a pool sets `user` (php-fpm ignores `user` unless it runs as root). */
const MASTER = 'root';

/** The socket php-fpm creates: owner, group, mode and ACL, as fpm_unix_resolve_socket_premissions sets them. */
interface Socket {
  path: string;
  /** listen.acl_users or listen.acl_groups is set: they replace owner and group. */
  acl: boolean;
  owner: string;
  group: string;
  mode: number;
  aclUsers: string[];
  aclGroups: string[];
}

type Access = 'yes' | 'no' | 'if-member';

export const rule: Rule = {
  id: 'php-fpm/listen-permissions',
  format: 'php-fpm',
  defaultSeverity: 'error',
  title: "nginx's user cannot connect to the pool's unix socket",
  docs: `Flags a pool listening on a unix socket whose \`listen.owner\`, \`listen.group\` and \`listen.mode\` (or
\`listen.acl_users\` / \`listen.acl_groups\`, which replace owner and group) do not let nginx's worker user write
to the socket, which connecting requires.

php-fpm creates the socket as its master process: without \`listen.owner\` it belongs to the master's user and
group (root, when the pool sets \`user\`: php-fpm honours \`user\` only when started as root), with
\`listen.mode\` \`0660\`. \`listen.owner\` alone also sets the group, to the owner's primary group (taken to be
named like the owner).

nginx's user is read from \`user\` in the main context of the workspace's \`nginx.conf\` (the group defaults
to one named like the user). Without it, the rule judges only pools a \`fastcgi_pass\` of the workspace reaches,
and assumes any of \`nobody\` (nginx's built-in default), \`www-data\` (Debian, Ubuntu), \`nginx\` (nginx.org
packages, RHEL, Alpine) and \`http\` (Arch): it warns only when none of them can connect. Where only membership
of the socket's group (which the configuration cannot show) would let nginx in, it says so as a hint. Numeric
ids are not judged.

**At runtime:** nginx logs \`connect() to unix:/run/php/app.sock failed (13: Permission denied) while connecting
to upstream\` and answers **502 Bad Gateway** to every PHP request.

**What to change:** give the socket to nginx's user (quick fix: \`listen.owner\` and \`listen.group\`, and
\`listen.mode = 0660\` where the mode denies the owner), or add that user to \`listen.acl_users\`.`,
  check(ctx) {
    const explicit = nginxIdentities(ctx);
    for (const pool of ctx.model.origin.pools) {
      const endpoint = pool.listen?.endpoint;
      if (endpoint?.kind !== 'unix') continue;
      if (explicit.length === 0 && fastcgiPassesReaching(ctx.model.origin, pool).length === 0) continue;
      const socket = socketOf(pool, endpoint.path);
      if (!socket) continue;
      const identities = explicit.length > 0 ? explicit : ASSUMED_IDENTITIES;
      const verdicts = identities.map((identity) => access(socket, identity));
      if (verdicts.includes('yes')) continue;
      const onlyIfMember = verdicts.includes('if-member');
      ctx.report({
        file: pool.file.id,
        range: blamed(pool, socket, identities).range,
        message: describe(pool, socket, identities, onlyIfMember),
        ...(onlyIfMember ? { severity: 'hint' as const } : explicit.length === 0 ? { severity: 'warning' as const } : {}),
        fixes: identities.map((identity) => fixFor(pool, socket, identity)),
      });
    }
  },
};

/** The users nginx.conf names in its main context, one per main configuration that sets `user`. */
function nginxIdentities(ctx: RuleContext): NginxIdentity[] {
  const identities: NginxIdentity[] = [];
  for (const node of mainContextDirectives(ctx.model.nginxTrees, 'user')) {
    const [user, group] = node?.directive.args.map((a) => a.value) ?? [];
    if (node && user && !identities.some((i) => i.user === user && i.group === (group ?? user))) {
      identities.push({ user, group: group ?? user, source: `${node.file.id}:${node.directive.range.start.line + 1}` });
    }
  }
  return identities;
}

/** The socket a pool creates; undefined when the configuration cannot say (numeric ids, a master of unknown user). */
function socketOf(pool: FpmPool, path: string): Socket | undefined {
  const value = (key: string) => {
    const entry = pool.get(key);
    return entry && entry.value !== '' ? expandPool(entry.value, pool.name) : undefined;
  };
  const list = (key: string) => value(key)?.split(',').map((name) => name.trim()).filter(Boolean) ?? [];
  const aclUsers = list('listen.acl_users');
  const aclGroups = list('listen.acl_groups');
  const acl = aclUsers.length > 0 || aclGroups.length > 0;
  // With an ACL php-fpm ignores listen.owner and listen.group.
  const owner = acl ? undefined : value('listen.owner');
  const group = acl ? undefined : value('listen.group');
  if (!owner && !value('user')) return undefined;
  const names = [owner, group, ...aclUsers, ...aclGroups].filter((n): n is string => n !== undefined);
  // Numeric ids and environment variables name users the configuration cannot.
  if (names.some((name) => /^\d+$/.test(name) || name.includes('${'))) return undefined;
  const modeText = /^[0-7]+/.exec(value('listen.mode') ?? '0660')?.[0];
  if (modeText === undefined) return undefined;
  return { path, acl, owner: owner ?? MASTER, group: group ?? owner ?? MASTER, mode: parseInt(modeText, 8), aclUsers, aclGroups };
}

/** Whether `identity` may write to the socket: owner bits, else group bits, else the others' bits apply. */
function access(socket: Socket, identity: NginxIdentity): Access {
  if (identity.user === 'root') return 'yes';
  if (socket.aclUsers.includes(identity.user) || socket.aclGroups.includes(identity.group)) return 'yes';
  if (identity.user === socket.owner) return socket.mode & 0o200 ? 'yes' : 'no';
  if (identity.group === socket.group) return socket.mode & 0o020 ? 'yes' : 'no';
  if (socket.mode & 0o002) return 'yes';
  // nginx also holds its user's supplementary groups, which no configuration file shows.
  return memberGroups(socket).length > 0 ? 'if-member' : 'no';
}

/** The groups whose members (by a supplementary group) may write to the socket; nobody puts nginx in root's. */
function memberGroups(socket: Socket): string[] {
  return [...(socket.mode & 0o020 && socket.group !== MASTER ? [socket.group] : []), ...socket.aclGroups];
}

function describe(pool: FpmPool, socket: Socket, identities: readonly NginxIdentity[], onlyIfMember: boolean): string {
  const who = identities.map((i) => i.user).join(', ');
  const runsAs = identities[0].source
    ? `nginx runs as ${identities.map((i) => `${i.user} (user in ${i.source})`).join(', ')}`
    : `nginx's user is not set in this workspace; assumed ${identities.map((i) => `${i.user} (${i.label})`).join(', ')}`;
  const owned = socket.acl
    ? `is granted by ACL to ${[...socket.aclUsers, ...socket.aclGroups.map((g) => `group ${g}`)].join(', ')}`
    : `is owned by ${socket.owner}:${socket.group}${pool.get('listen.owner') ? '' : " (php-fpm's master: no listen.owner is set)"}`;
  const denied = `nginx logs "connect() to unix:${socket.path} failed (13: Permission denied) while connecting to upstream" and answers 502 to every PHP request`;
  return onlyIfMember
    ? `${runsAs}. Pool [${pool.name}]'s socket ${socket.path} ${owned} with mode ${octal(socket.mode)}: ${who} can connect only as a member of group ${memberGroups(socket).join(' or ')}; otherwise ${denied}.`
    : `${runsAs}. Pool [${pool.name}]'s socket ${socket.path} ${owned} with mode ${octal(socket.mode)}: ${identities.length > 1 ? 'none of them can' : `${who} cannot`} connect. ${capitalize(denied)}.`;
}

/** The line that decides: the ACL, the mode that shuts out nginx's own class, else the owner (or the listen). */
function blamed(pool: FpmPool, socket: Socket, identities: readonly NginxIdentity[]): FpmEntry {
  const listen = pool.listen!.entry;
  if (socket.acl) return pool.get('listen.acl_users') ?? pool.get('listen.acl_groups') ?? listen;
  const ownClass = identities.some((i) => i.user === socket.owner || i.group === socket.group);
  if (ownClass && pool.get('listen.mode')) return pool.get('listen.mode')!;
  return pool.get('listen.owner') ?? pool.get('listen.group') ?? listen;
}

function fixFor(pool: FpmPool, socket: Socket, identity: NginxIdentity): Fix {
  const who = identity.label ? `${identity.user} (${identity.label})` : identity.user;
  const preferred = identity.source ? { isPreferred: true } : {};
  if (socket.acl) {
    const users = [...socket.aclUsers, identity.user].join(',');
    const anchor = pool.get('listen.acl_users') ?? pool.get('listen.acl_groups')!;
    return { title: `Add ${who} to listen.acl_users`, edits: setEntries(pool, { 'listen.acl_users': users }, anchor), ...preferred };
  }
  const values: Record<string, string> = { 'listen.owner': identity.user, 'listen.group': identity.group };
  if (!(socket.mode & 0o200)) values['listen.mode'] = '0660';
  return {
    title: `Give the socket to ${who}: listen.owner = ${identity.user}, listen.group = ${identity.group}`,
    edits: setEntries(pool, values, pool.listen!.entry),
    ...preferred,
  };
}

/** Rewrites each key's value in place; keys the pool lacks go on new lines after `after`, indented and broken like it, in one edit. */
function setEntries(pool: FpmPool, values: Record<string, string>, after: FpmEntry): TextEdit[] {
  const edits: TextEdit[] = [];
  const added: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const existing = pool.get(key);
    if (existing?.value === value) continue;
    if (existing) edits.push({ file: pool.file.id, range: existing.valueRange, newText: value });
    else added.push(`${key} = ${value}`);
  }
  if (added.length > 0) {
    const { lines } = pool.file;
    const line = after.range.start.line;
    const indent = /^[ \t]*/.exec(lines.lineText(line))![0];
    const end: Position = lines.positionAt(lines.lineEnd(line));
    const newLine = lineBreak(pool.file, line);
    edits.push({ file: pool.file.id, range: { start: end, end }, newText: added.map((entry) => `${newLine}${indent}${entry}`).join('') });
  }
  return edits;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
