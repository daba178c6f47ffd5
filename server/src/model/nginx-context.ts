import { nginxDirective, type NginxDirectiveInfo, type NginxFamily } from '../reference/nginx';

/**
 * Where a directive stands, as nginx's ngx_conf_handler sees it: the kind of block (nginx's documented
 * context name) and the module family that block belongs to (`server` in `http` differs from `server`
 * in `stream`). `raw` marks blocks whose body is data, not directives (`types`, `map`, `geo`, …).
 */
export interface NginxContext {
  block: string;
  family: NginxFamily;
}

export const MAIN_CONTEXT: NginxContext = { block: 'main', family: 'core' };
export const RAW_CONTEXT: NginxContext = { block: 'raw', family: 'core' };

/** Blocks that open a context of their own name, in the family of the block around them. */
const NAMED_CONTEXTS = new Set(['server', 'location', 'upstream', 'limit_except', 'acme_issuer', 'oidc_provider', 'mgmt']);
/** A Map, as block names are whatever was typed: in a plain object `constructor` would be found. */
const FAMILY_BLOCKS: ReadonlyMap<string, NginxFamily> = new Map([['http', 'http'], ['stream', 'stream'], ['mail', 'mail']]);

const childContexts = new WeakMap<NginxContext, Map<string, NginxContext>>();

/** The context a block directive opens for its children: one shared object per kind, so answers about it are kept. */
export function childContext(parent: NginxContext, blockName: string): NginxContext {
  if (parent.block === 'raw') return RAW_CONTEXT;
  let byName = childContexts.get(parent);
  if (!byName) childContexts.set(parent, (byName = new Map()));
  let context = byName.get(blockName);
  // Any name may open a block, so only the few that open a context of their own are kept.
  if (!context) {
    context = openedContext(parent, blockName);
    if (context !== RAW_CONTEXT) byName.set(blockName, context);
  }
  return context;
}

function openedContext(parent: NginxContext, blockName: string): NginxContext {
  const family = FAMILY_BLOCKS.get(blockName);
  if (family) return shared(blockName, family);
  if (blockName === 'events') return shared('events', 'core');
  if (blockName === 'if') return shared(parent.block === 'location' ? 'if in location' : 'if', parent.family);
  if (NAMED_CONTEXTS.has(blockName)) return shared(blockName, parent.family);
  return RAW_CONTEXT;
}

const sharedContexts = new Map<string, NginxContext>();

function shared(block: string, family: NginxFamily): NginxContext {
  const key = `${family} ${block}`;
  let context = sharedContexts.get(key);
  if (!context) sharedContexts.set(key, (context = { block, family }));
  return context;
}

const allowedByContext = new WeakMap<NginxContext, Map<string, readonly NginxDirectiveInfo[]>>();

/** The documented definitions of `name` that nginx would accept in `context` (asked for every directive, so kept). */
export function definitionsAllowedIn(name: string, context: NginxContext): readonly NginxDirectiveInfo[] {
  let byName = allowedByContext.get(context);
  if (!byName) allowedByContext.set(context, (byName = new Map()));
  const kept = byName.get(name);
  if (kept) return kept;
  const definitions = nginxDirective(name);
  // Unknown names (half-typed ones among them) are not kept: only documented names fill the cache.
  if (definitions.length === 0) return definitions;
  const allowed = allowedOf(definitions, context);
  byName.set(name, allowed);
  return allowed;
}

/** Apart from `definitionsAllowedIn`, whose every call would otherwise make room for the closure's `context`. */
function allowedOf(definitions: readonly NginxDirectiveInfo[], context: NginxContext): NginxDirectiveInfo[] {
  return definitions.filter((info) => isAllowed(info, context));
}

function isAllowed(info: NginxDirectiveInfo, context: NginxContext): boolean {
  if (info.contexts.includes('')) return true;
  const familyFits = context.family === 'core' || info.family === 'core' || info.family === context.family;
  if (!familyFits) return false;
  if (info.contexts.includes(context.block)) return true;
  // The docs write `if` for directives allowed in both kinds of `if` (rewrite module's `set`, `return`…).
  return context.block === 'if in location' && info.contexts.includes('if');
}

/** `server`, `location`, … for the web (http) contexts people mean by default; `stream server` otherwise. */
export function describeContext(context: NginxContext): string {
  return describeBlock(context.block, context.family);
}

export function describeBlock(block: string, family: NginxFamily): string {
  if (block === 'main') return 'the main context';
  if (block === '') return 'any context';
  return (family === 'stream' || family === 'mail') && block !== family ? `${family} ${block}` : block;
}
