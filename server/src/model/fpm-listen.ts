/**
 * A pool's `listen` (or `pm.status_listen`) as php-fpm 8.2 opens it when it starts (fpm_sockets.c): php-fpm -t
 * only checks that it is set, so an address it cannot bind stops php-fpm at start, not at the test.
 * With a `:` it is `address:port` (split at the last `:`, `[…]` around IPv6), all digits a port on every
 * address, anything else a unix socket path (relative ones start from the pool's prefix).
 */
import type { Decoded } from './fpm-values';
import { atoi } from './fpm-values';

export type ListenKind = 'tcp' | 'port' | 'unix';

/** What php-fpm logs when getaddrinfo(3) cannot resolve the address part, offline or not. */
const NO_SUCH_HOST = 'getaddrinfo: Name or service not known';

export function listenKind(address: string): ListenKind {
  if (address.includes(':')) return 'tcp';
  return /^\d+$/.test(address) ? 'port' : 'unix';
}

/** php-fpm's start-up verdict on a non-empty listen address. Host names are left to DNS: not judged. */
export function decodeListen(address: string): Decoded<ListenKind> {
  const kind = listenKind(address);
  if (kind === 'unix') {
    const looksTcp = /^(\d{1,3}\.){3}\d{1,3}$/.test(address) || address.toLowerCase() === 'localhost';
    return looksTcp
      ? { ok: true, value: kind, surprise: `\`${address}\` has no port, so php-fpm creates a unix socket file of that name (relative to its prefix) instead of listening on TCP` }
      : { ok: true, value: kind };
  }
  const colon = address.lastIndexOf(':');
  const portText = kind === 'port' ? address : address.slice(colon + 1);
  const port = atoi(portText);
  if (port < 1 || port > 65535) {
    const hint = address.startsWith('unix:') ? ' — php-fpm takes a socket path without `unix:` (that is nginx\'s spelling)' : '';
    return { ok: false, refusal: `invalid port value '${portText}'${hint}` };
  }
  // The port goes to getaddrinfo(3) as a service name, which must then be all digits.
  if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(portText)) return { ok: false, refusal: 'getaddrinfo: Servname not supported for ai_socktype' };
  if (kind === 'tcp' && !hostCanResolve(address.slice(0, colon))) return { ok: false, refusal: NO_SUCH_HOST };
  return { ok: true, value: kind };
}

/** False for host parts no resolver accepts: empty, `[` left open, or an IPv6 address without its brackets. */
function hostCanResolve(host: string): boolean {
  if (host.startsWith('[')) return host.endsWith(']') && host.length > 2;
  return host !== '' && !host.includes(':');
}
