/** cloudflared's `validateHostname` (ingress/ingress.go), without the catch-all checks that have rules of their own. */
import { parseGoUrl, splitsAsHostPort } from './go-url';

export interface HostnameProblem {
  /** The validator's own message. */
  message: string;
  /** The name the hostname was meant to be, when it can be told. */
  name?: string;
}

export function hostnameProblem(hostname: string): HostnameProblem | undefined {
  const split = splitsAsHostPort(hostname);
  if (split) {
    const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(hostname) ? parseGoUrl(hostname) : undefined;
    const name = url && 'url' in url ? url.url.hostname : split.host;
    return {
      message: url ? 'Hostname cannot contain a port (nor a scheme: Go reads one as a host followed by a port)' : 'Hostname cannot contain a port',
      ...(name !== '' ? { name } : {}),
    };
  }
  if (hostname.lastIndexOf('*') > 0) {
    return {
      message: 'Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"',
    };
  }
  return undefined;
}

/**
 * True when cloudflared matches the hostname only as written. It also matches the hostname's IDNA lookup form
 * (lower-cased, punycode), but Go's `idna.Lookup` refuses names with characters other than letters, digits, `-`
 * and `.` (a `*`, a `_`), or with a label that starts or ends with `-` or has `--` at its third character; then
 * only the written form is compared. Names with other non-ASCII letters are not judged here.
 */
export function matchedOnlyAsWritten(hostname: string): boolean {
  if (/[^\x00-\x7f]/.test(hostname)) return false;
  if (/[^A-Za-z0-9.-]/.test(hostname)) return true;
  return hostname.split('.').some((label) => /^-|-$/.test(label) || (label.length > 4 && label.slice(2, 4) === '--' && !/^xn--/i.test(label)));
}
