/**
 * Go's `url.Parse` (net/url), which cloudflared runs on every URL `service`, ported for the parts that decide
 * whether it fails and what scheme, host, port and path it finds. Offsets point into the raw text for fixes.
 */

export interface GoUrl {
  /** Lower-cased, as Go stores it. */
  scheme: string;
  /** `localhost:8000` has the scheme `localhost` and the opaque part `8000`, and so no host. */
  opaque: string;
  hostname: string;
  port: string;
  path: string;
  /** Where the hostname and the path (before `?` and `#`) lie in the raw text; -1 when there is none. */
  hostnameStart: number;
  hostnameEnd: number;
  pathStart: number;
  pathEnd: number;
}

export type GoUrlResult = { url: GoUrl } | { error: string };

/** `url.Parse(raw)`: the URL, or Go's error text (`parse "…": …`). */
export function parseGoUrl(raw: string): GoUrlResult {
  const hash = raw.indexOf('#');
  const beforeFragment = hash === -1 ? raw : raw.slice(0, hash);
  const parsed = parseWithoutFragment(beforeFragment);
  if ('error' in parsed) return { error: `parse ${goQuote(beforeFragment)}: ${parsed.error}` };
  if (hash !== -1) {
    const fragmentError = unescapeError(raw.slice(hash + 1), 'fragment');
    if (fragmentError) return { error: `parse ${goQuote(raw)}: ${fragmentError}` };
  }
  return parsed;
}

function parseWithoutFragment(raw: string): GoUrlResult {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) return { error: 'net/url: invalid control character in URL' };
  const url: GoUrl = { scheme: '', opaque: '', hostname: '', port: '', path: '', hostnameStart: -1, hostnameEnd: -1, pathStart: -1, pathEnd: -1 };
  if (raw === '*') return { url: { ...url, path: '*' } };
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(raw);
  if (raw.startsWith(':')) return { error: 'missing protocol scheme' };
  let at = scheme ? scheme[0].length : 0;
  url.scheme = scheme ? scheme[0].slice(0, -1).toLowerCase() : '';
  let end = raw.length;
  const question = raw.indexOf('?', at);
  if (question !== -1) end = question;
  const rest = () => raw.slice(at, end);
  if (!rest().startsWith('/')) {
    if (url.scheme !== '') return { url: { ...url, opaque: rest() } };
    if (rest().split('/')[0].includes(':')) return { error: 'first path segment in URL cannot contain colon' };
  }
  if (rest().startsWith('//') && (url.scheme !== '' || !rest().startsWith('///'))) {
    const slash = raw.indexOf('/', at + 2);
    const authorityEnd = slash === -1 || slash > end ? end : slash;
    const host = parseAuthority(raw, at + 2, authorityEnd);
    if ('error' in host) return host;
    Object.assign(url, host);
    at = authorityEnd;
  }
  const pathError = unescapeError(rest(), 'path');
  if (pathError) return { error: pathError };
  return { url: { ...url, path: rest(), pathStart: at, pathEnd: end } };
}

type HostParts = Pick<GoUrl, 'hostname' | 'port' | 'hostnameStart' | 'hostnameEnd'>;

function parseAuthority(raw: string, start: number, end: number): HostParts | { error: string } {
  const authority = raw.slice(start, end);
  const at = authority.lastIndexOf('@');
  const hostError = parseHostError(authority.slice(at + 1));
  if (hostError) return { error: hostError };
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return { error: 'net/url: invalid userinfo' };
    const userError = unescapeError(userinfo, 'userinfo');
    if (userError) return { error: userError };
  }
  // `URL.Hostname()` and `URL.Port()`: the port is what follows the last `:` when only digits do.
  const hostStart = start + at + 1;
  const host = raw.slice(hostStart, end);
  const colon = host.lastIndexOf(':');
  const hasPort = colon !== -1 && /^:\d*$/.test(host.slice(colon));
  let hostnameStart = hostStart;
  let hostnameEnd = hasPort ? hostStart + colon : end;
  if (raw[hostnameStart] === '[' && raw[hostnameEnd - 1] === ']') {
    hostnameStart++;
    hostnameEnd--;
  }
  return {
    hostname: raw.slice(hostnameStart, hostnameEnd),
    port: hasPort ? host.slice(colon + 1) : '',
    hostnameStart,
    hostnameEnd,
  };
}

/** Go's `parseHost`: what it refuses in `host[:port]`. */
function parseHostError(host: string): string | undefined {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close === -1) return "missing ']' in host";
    const colonPort = host.slice(close + 1);
    if (!/^(:\d*)?$/.test(colonPort)) return `invalid port ${goQuote(colonPort)} after host`;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1 && !/^:\d*$/.test(host.slice(colon))) return `invalid port ${goQuote(host.slice(colon))} after host`;
  }
  return unescapeError(host, 'host');
}

type Part = 'host' | 'path' | 'userinfo' | 'fragment';

/** Characters a host may hold unescaped: letters, digits, `-._~`, the sub-delimiters, `:[]<>"` and non-ASCII. */
const HOST_CHARACTER = /[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]|[^\x00-\x7f]/;

/** Go's `unescape`: a `%` needs two hex digits (in a host, only for non-ASCII bytes or `%25`); a host refuses other characters. */
function unescapeError(text: string, part: Part): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '%') {
      const escape = text.slice(i, i + 3);
      if (!/^%[0-9a-fA-F]{2}$/.test(escape)) return `invalid URL escape ${goQuote(escape)}`;
      if (part === 'host' && parseInt(escape[1], 16) < 8 && escape !== '%25') return `invalid URL escape ${goQuote(escape)}`;
      i += 2;
    } else if (part === 'host' && !HOST_CHARACTER.test(c)) {
      return `invalid character ${goQuote(c)} in host name`;
    }
  }
  return undefined;
}

/** `strconv.Quote` for the printable text these messages show. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/**
 * Go's `net.SplitHostPort`, which cloudflared uses to refuse a hostname with a port: it succeeds on `host:port`
 * (any port text, even empty) and `[host]:port`, and fails without a colon or with several outside brackets.
 */
export function splitsAsHostPort(hostport: string): { host: string; port: string } | undefined {
  const colon = hostport.lastIndexOf(':');
  if (colon === -1) return undefined;
  let host: string;
  let rest = 0;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close === -1 || close + 1 !== colon) return undefined;
    host = hostport.slice(1, close);
    rest = close + 1;
  } else {
    host = hostport.slice(0, colon);
    if (host.includes(':')) return undefined;
  }
  if (hostport.indexOf('[', hostport.startsWith('[') ? 1 : 0) !== -1) return undefined;
  if (hostport.indexOf(']', rest) !== -1) return undefined;
  return { host, port: hostport.slice(colon + 1) };
}
