import { posix } from 'node:path';
import type { Position, Range } from '../core/text';
import { childContext, definitionsAllowedIn, MAIN_CONTEXT, type NginxContext } from '../model/nginx-context';
import type { NginxNode } from '../model/nginx-tree';
import { forEachNginxNode } from '../model/nginx-walk';
import { connectAddress } from '../model/targets';
import type { ParsedFile, WorkspaceModel } from '../model/workspace';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import { allNginxDirectiveNames, nginxDirective, nginxVariables } from '../reference/nginx';
import { ITEM_KIND, item, markdown, snippetItem, templateItem, type CompletionEntry } from './completion-items';
import { nginxCursor, type NginxCursor } from './completion-nginx-cursor';
import { plainSyntax, syntaxLiterals } from './completion-nginx-values';
import { phpLocation, reverseProxyLocation } from './snippets';

/**
 * Completions in an nginx file: the directives allowed where the cursor stands (in a snippet, where the
 * workspace includes it), their fixed values, variables after `$`, upstreams after `proxy_pass http://`,
 * PHP-FPM pools after `fastcgi_pass`, and location snippets.
 */
export function nginxCompletions(file: ParsedFile<NginxParseResult>, position: Position, model: WorkspaceModel): CompletionEntry[] {
  const cursor = nginxCursor(file.text, file.lines, file.parse, position);
  if (cursor.kind === 'none') return [];
  const contexts = cursorContexts(model, file.id, cursor.blocks);
  switch (cursor.kind) {
    case 'directive':
      return [...directiveItems(contexts, cursor.replace), ...locationSnippets(contexts, model, cursor.replace)];
    case 'variable':
      return variableItems(contexts, model, cursor.braced, cursor.replace);
    case 'argument':
      return argumentItems(cursor, contexts, model);
  }
}

/** The contexts the cursor's blocks open, from every place the workspace puts the file's top level. */
function cursorContexts(model: WorkspaceModel, fileId: string, blocks: readonly string[]): NginxContext[] {
  const tops = new Map<string, NginxContext>();
  const add = (context: NginxContext) => tops.set(`${context.family} ${context.block}`, context);
  for (const tree of model.nginxTrees) {
    if (tree.root.id === fileId) add(tree.rootContext);
    for (const include of tree.includes) if (include.files.includes(fileId)) add(include.node.context);
  }
  if (tops.size === 0) add(MAIN_CONTEXT);
  return [...tops.values()].map((top) => blocks.reduce(childContext, top));
}

function directiveItems(contexts: readonly NginxContext[], range: Range): CompletionEntry[] {
  const items: CompletionEntry[] = [];
  for (const name of allNginxDirectiveNames()) {
    const allowed = contexts.flatMap((context) => definitionsAllowedIn(name, context));
    if (allowed.length === 0) continue;
    // The documentation is large: the editor asks for it (completionItem/resolve) when the item is shown.
    items.push(item(name, ITEM_KIND.Keyword, range, { detail: `${name} ${plainSyntax(allowed[0].syntax[0] ?? '')}`, data: { nginxDirective: name } }));
  }
  return items;
}

function locationSnippets(contexts: readonly NginxContext[], model: WorkspaceModel, range: Range): CompletionEntry[] {
  if (!contexts.some((context) => definitionsAllowedIn('location', context).length > 0)) return [];
  const upstreams = unique(model.origin.upstreams.map((u) => `http://${u.name}`));
  return [
    templateItem(reverseProxyLocation(upstreams), range, 'nginx'),
    templateItem(phpLocation(poolAddresses(model).map((p) => p.address)), range, 'nginx'),
  ];
}

function argumentItems(cursor: Extract<NginxCursor, { kind: 'argument' }>, contexts: readonly NginxContext[], model: WorkspaceModel): CompletionEntry[] {
  const { directive, previous, partial, replace } = cursor;
  const items = previous.length === 0 ? passTargetItems(directive, partial, model, replace) : [];
  const allowed = contexts.flatMap((context) => definitionsAllowedIn(directive, context));
  const definitions = allowed.length > 0 ? allowed : nginxDirective(directive);
  const written = new Set(previous);
  for (const literal of syntaxLiterals(directive, definitions)) {
    if (written.has(literal.value)) continue;
    const defaults = unique(definitions.map((d) => d.default).filter((d) => d !== ''));
    const documentation = `\`${literal.syntax}\`${defaults.length > 0 ? `\n\nDefault: ${defaults.map((d) => `\`${d}\``).join(' or ')}` : ''}`;
    items.push(item(literal.value, ITEM_KIND.EnumMember, replace, { detail: literal.syntax, documentation: markdown(documentation) }));
  }
  return items;
}

/** Upstream names for the `*_pass` directives (with the scheme `proxy_pass` and `grpc_pass` need), pools for `fastcgi_pass`. */
function passTargetItems(directive: string, partial: string, model: WorkspaceModel, range: Range): CompletionEntry[] {
  const prefix: Record<string, string> = {
    proxy_pass: partial.startsWith('https') ? 'https://' : 'http://',
    grpc_pass: partial.startsWith('grpcs') ? 'grpcs://' : 'grpc://',
    fastcgi_pass: '',
    uwsgi_pass: '',
  };
  if (!(directive in prefix)) return [];
  const items = model.origin.upstreams.map((upstream) => {
    const servers = upstream.servers.map((s) => `- \`${s.address}\`${s.down ? ' (down)' : s.backup ? ' (backup)' : ''}`);
    return item(`${prefix[directive]}${upstream.name}`, ITEM_KIND.Module, range, {
      detail: `upstream ${upstream.name}`,
      documentation: markdown([`upstream \`${upstream.name}\` (${where(upstream.node)})`, ...servers].join('\n')),
    });
  });
  if (directive === 'fastcgi_pass') {
    for (const pool of poolAddresses(model)) {
      items.push(item(pool.address, ITEM_KIND.Value, range, { detail: `PHP-FPM pool [${pool.name}]`, documentation: markdown(pool.doc) }));
    }
  }
  return dedupeByLabel(items);
}

/** Each pool's `listen` as `fastcgi_pass` writes it (`unix:/run/php/x.sock`, `127.0.0.1:9000`). */
function poolAddresses(model: WorkspaceModel): Array<{ address: string; name: string; doc: string }> {
  return model.origin.pools.flatMap((pool) => {
    const endpoint = pool.listen?.endpoint;
    if (!endpoint || !pool.listen) return [];
    const line = pool.listen.entry.range.start.line + 1;
    const doc = `PHP-FPM pool \`[${pool.name}]\` listens on \`${pool.listen.entry.value}\` (${posix.basename(pool.file.id)}:${line})`;
    return [{ address: connectAddress(endpoint), name: pool.name, doc }];
  });
}

function variableItems(contexts: readonly NginxContext[], model: WorkspaceModel, braced: boolean, range: Range): CompletionEntry[] {
  const stream = contexts.length > 0 && contexts.every((context) => context.family === 'stream');
  const items: CompletionEntry[] = [];
  for (const variable of nginxVariables()) {
    if (variable.module.startsWith('ngx_stream_') !== stream) continue;
    const name = variable.name.slice(1);
    const documentation = markdown(`${variable.description}\n\n(${variable.module})`);
    // `$http_NAME` stands for a family: the name is a tab stop.
    const placeholder = /^(.*_)NAME$/.exec(name);
    if (placeholder) {
      const body = braced ? `\\\${${placeholder[1]}\${1:name}\\}` : `\\$${placeholder[1]}\${1:name}`;
      items.push(snippetItem(variable.name, ITEM_KIND.Variable, range, body, { documentation, filterText: braced ? `\${${name}}` : variable.name }));
    } else {
      items.push(variableItem(name, braced, range, { documentation }));
    }
  }
  forEachNginxNode(model, (node) => {
    const defined = definedVariable(node.directive);
    if (defined) items.push(variableItem(defined, braced, range, { detail: `${node.directive.name} (${where(node)})` }));
  });
  return dedupeByLabel(items);
}

function variableItem(name: string, braced: boolean, range: Range, extra: Partial<CompletionEntry>): CompletionEntry {
  const newText = braced ? `\${${name}}` : `$${name}`;
  return item(`$${name}`, ITEM_KIND.Variable, range, { newText, filterText: newText, ...extra });
}

/** The variable a `set`, `map`, `geo` or `split_clients` defines, without its `$`. */
function definedVariable(d: NginxDirective): string | undefined {
  const at: Record<string, number> = { set: 0, map: 1, split_clients: 1, geo: d.args.length - 1 };
  const arg = d.name in at ? d.args[at[d.name]] : undefined;
  return arg?.value.startsWith('$') && arg.value.length > 1 ? arg.value.slice(1) : undefined;
}

function where(node: NginxNode): string {
  return `${posix.basename(node.file.id)}:${node.directive.range.start.line + 1}`;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The first item of each label: the reference before the workspace, an upstream before a pool of the same name. */
function dedupeByLabel(items: readonly CompletionEntry[]): CompletionEntry[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.label) && seen.add(i.label));
}
