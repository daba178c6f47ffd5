import { isIP } from 'node:net';
import { splitHostPort } from '../model/targets';

/** A URL or connect-to address the probe cannot use; the CLI turns it into a usage error. */
export class ProbeInputError extends Error {}

export interface ProbeTarget {
  url: URL;
  secure: boolean;
  /** The URL's host without IPv6 brackets: what Host, SNI and the certificate check name. */
  host: string;
  hostIsIp: boolean;
  port: number;
  /** Path and query as sent in the request line. */
  path: string;
  /** The address to connect to instead of resolving `host`. */
  connectTo?: { address: string; port: number };
}

export function parseProbeTarget(url: string, connectTo?: string): ProbeTarget {
  let parsed: URL;
  try {
    parsed = new URL(url.includes('://') ? url : `http://${url}`);
  } catch {
    throw new ProbeInputError(`"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ProbeInputError(`cannot probe ${parsed.protocol} URLs, only http and https`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = parsed.protocol === 'https:';
  const port = parsed.port ? Number(parsed.port) : secure ? 443 : 80;
  return {
    url: parsed,
    secure,
    host,
    hostIsIp: isIP(host) !== 0,
    port,
    path: `${parsed.pathname}${parsed.search}`,
    connectTo: connectTo?.trim() ? parseConnectTo(connectTo.trim(), port) : undefined,
  };
}

/** `IP`, `IP:PORT`, `[IPv6]:PORT` or a bare IPv6 address; the port defaults to the URL's. */
function parseConnectTo(value: string, defaultPort: number): { address: string; port: number } {
  const { host, port = defaultPort } = splitHostPort(value);
  if (isIP(host) === 0) throw new ProbeInputError(`connect-to "${value}" is not an IP address with an optional port`);
  if (port < 1 || port > 65535) throw new ProbeInputError(`connect-to "${value}" has no valid port`);
  return { address: host, port };
}
