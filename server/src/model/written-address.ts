/**
 * An nginx address as written, in parts with their places in the value: what a quick fix edits and a message
 * quotes. (`targets.ts` reduces the same addresses to where they connect.)
 */

/** A part of a written value: offsets into it and the text between them. */
export interface Span {
  start: number;
  end: number;
  text: string;
}

/** A `*_pass` target or an upstream `server` address as written, split the way ngx_parse_url splits it. */
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
