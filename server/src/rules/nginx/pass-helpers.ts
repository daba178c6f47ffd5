/**
 * What the pass-target rules share: reading a `*_pass` target or an upstream `server` address the way
 * ngx_parse_url splits it, with the place of each part in the file; the upstream blocks nginx would
 * see; and the edits their quick fixes make (set a directive in a block, add one at a block's top).
 * How directives reach a block, and plain inserts, are the pack's (`levels-and-edits`).
 */
import type { TextEdit } from '../../core/findings';
import { lineBreakOf, type Range } from '../../core/text';
import { definitionsAllowedIn } from '../../model/nginx-context';
import type { NginxFile, NginxNode, NginxTree } from '../../model/nginx-tree';
import type { NginxUpstream, OriginModel } from '../../model/origin';
import type { NginxArg, NginxDirective } from '../../parsers/nginx/ast';
import { insertAfter } from './levels-and-edits';

/** A part of an argument's value: offsets into `NginxArg.value` and the text between them. */
export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Address {
  /** As written (`http`, `HTTPS`, `grpcs`, `$scheme`); absent for `host:port` addresses. */
  scheme?: Span;
  /** As written: a name, an IPv4 address, a bracketed IPv6 address, or a template with variables. */
  host: Span;
  port?: Span;
  /** The port when written as digits. */
  portNumber?: number;
  /** The host is known only per request. */
  hostHasVariables: boolean;
}

/** Variables whose value starts with `/`: where one begins, the URI begins (`http://backend$request_uri`). */
const URI_VARIABLES = new Set(['request_uri', 'uri', 'document_uri']);

/**
 * Addresses already read, by argument: every pass rule reads every pass's address, and an argument the edit did not
 * touch is the same object in the next analysis. Looking an argument up costs a third of looking its value up (a
 * fresh string is hashed and compared).
 */
const argAddresses = new WeakMap<NginxArg, Address | null>();

/** `readAddress` of an argument's value, read once per argument. Never change what it returns: it is shared. */
export function argAddress(arg: NginxArg): Address | undefined {
  const known = argAddresses.get(arg);
  if (known !== undefined) return known ?? undefined;
  const address = readAddress(arg.value);
  argAddresses.set(arg, address ?? null);
  return address;
}

/** Addresses already read, by value (null: none): a config's addresses repeat. Bounded, as values come from whatever is typed. */
const readAddresses = new Map<string, Address | null>();
const MAX_READ_ADDRESSES = 20_000;

/** Splits `https://host:port/uri`, `host:port`, `[::1]:9000`; undefined for `unix:` sockets. Never change what it returns. */
export function readAddress(value: string): Address | undefined {
  const known = readAddresses.get(value);
  if (known !== undefined) return known ?? undefined;
  const address = splitAddress(value);
  if (readAddresses.size >= MAX_READ_ADDRESSES) readAddresses.clear();
  readAddresses.set(value, address ?? null);
  return address;
}

function splitAddress(value: string): Address | undefined {
  // `$scheme://host` too: the host is still written out.
  const schemeMatch = /^([a-z][a-z0-9+.-]*|\$\w+|\$\{\w+\}):\/\//i.exec(value);
  const start = schemeMatch ? schemeMatch[0].length : 0;
  if (value.startsWith('unix:', start)) return undefined;
  const end = authorityEnd(value, start);
  // ngx_parse_url: an IPv6 literal ends at "]", any other host at the first ":".
  const close = value[start] === '[' ? value.indexOf(']', start) : -1;
  const colon = value.indexOf(':', close === -1 ? start : close);
  const hostEnd = colon !== -1 && colon < end ? colon : end;
  const host = spanOf(value, start, hostEnd);
  const port = hostEnd < end ? spanOf(value, hostEnd + 1, end) : undefined;
  return {
    scheme: schemeMatch ? spanOf(value, 0, schemeMatch[1].length) : undefined,
    host,
    port,
    portNumber: port && /^\d+$/.test(port.text) ? Number(port.text) : undefined,
    hostHasVariables: host.text.includes('$'),
  };
}

/** Where host and port end: at `/`, `?` or a variable that holds the URI. */
function authorityEnd(value: string, start: number): number {
  for (let i = start; i < value.length; i++) {
    const c = value[i];
    if (c === '/' || c === '?') return i;
    if (c !== '$') continue;
    const variable = /^\$(?:\{(\w+)\}|(\w+))/.exec(value.slice(i));
    if (!variable) continue;
    if (URI_VARIABLES.has(variable[1] ?? variable[2])) return i;
    i += variable[0].length - 1;
  }
  return value.length;
}

function spanOf(value: string, start: number, end: number): Span {
  return { start, end, text: value.slice(start, end) };
}

/** A literal IPv4 or bracketed IPv6 address: nginx connects to it without resolving a name. */
export function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || /^\[[0-9a-f:.]*\]$/i.test(host);
}

/** Characters nginx unescapes after a backslash; each such pair is one character of the value. */
const ESCAPED = new Set(['"', "'", '\\', 't', 'r', 'n']);

/** The range in the file of part of an argument's value, counting its quote and backslash escapes. */
export function rangeInArg(file: NginxFile, arg: NginxArg, span: { start: number; end: number }): Range {
  const base = file.lines.offsetAt(arg.range.start);
  return file.lines.rangeOf(base + rawIndex(arg, span.start), base + rawIndex(arg, span.end));
}

function rawIndex(arg: NginxArg, valueIndex: number): number {
  let raw = arg.quote ? 1 : 0;
  for (let i = 0; i < valueIndex; i++) raw += arg.raw[raw] === '\\' && ESCAPED.has(arg.raw[raw + 1]) ? 2 : 1;
  return raw;
}

/** An edit of part of an argument's value. */
export function replaceInArg(node: NginxNode, arg: NginxArg, span: { start: number; end: number }, newText: string): TextEdit {
  return { file: node.file.id, range: rangeInArg(node.file, arg, span), newText };
}

/**
 * The `upstream` blocks nginx would see from a tree, by lower-case name (nginx matches names
 * case-insensitively). A snippet no main config includes may be loaded with any upstream of the
 * workspace, so it sees them all.
 */
export function upstreamsVisibleFrom(origin: OriginModel, tree: NginxTree): Map<string, NginxUpstream> {
  const visible = tree.inferred ? origin.workspaceUpstreams : origin.upstreams.filter((u) => tree.files.has(u.node.file.id));
  return new Map(visible.map((u) => [u.name.toLowerCase(), u]));
}

/** A directive to put in force, and the one in force now (from this block or an enclosing one). */
export interface DirectiveValue {
  name: string;
  value: string;
  current?: NginxNode;
}

/**
 * Edits that put each `name value;` in force in the block `anchor` stands in, or in the nearest block around it
 * where nginx allows them all: a directive already in that block is rewritten (a second one would make nginx -t
 * fail with "is duplicate"); the others are added together after `anchor` (or the block holding it), so they
 * override what an enclosing block sets.
 */
export function setInBlockEdits(anchor: NginxNode, settings: readonly DirectiveValue[]): TextEdit[] {
  const place = placeAllowing(anchor, settings.map((s) => s.name));
  const edits: TextEdit[] = [];
  const added: string[] = [];
  for (const { name, value, current } of settings) {
    if (current && current.parent === place.parent && current.directive.args.length > 0) {
      const args = current.directive.args;
      edits.push({ file: current.file.id, range: { start: args[0].range.start, end: args[args.length - 1].range.end }, newText: value });
    } else {
      added.push(`${name} ${value};`);
    }
  }
  if (added.length > 0) edits.push(insertAfter(place, added));
  return edits;
}

/**
 * `anchor`, or the innermost block around it whose context allows every one of `names`: an `if` takes no buffer
 * size nor TLS setting (nginx -t: "directive is not allowed here"), its location does, and the `if` inherits them.
 */
function placeAllowing(anchor: NginxNode, names: readonly string[]): NginxNode {
  for (let node: NginxNode | null = anchor; node; node = node.parent) {
    const { context } = node;
    if (names.every((name) => definitionsAllowedIn(name, context).length > 0)) return node;
  }
  return anchor;
}

/** Inserts `directive` before `first`, on a line of its own with the same indentation when `first` begins its line. */
export function insertBefore(file: NginxFile, first: NginxDirective, directive: string): TextEdit {
  const { start } = first.range;
  const before = file.lines.lineText(start.line).slice(0, start.character);
  const lineBreak = lineBreakOf(file.text);
  const newText = /^[ \t]*$/.test(before) ? `${directive}${lineBreak}${before}` : `${directive} `;
  return { file: file.id, range: { start, end: start }, newText };
}
