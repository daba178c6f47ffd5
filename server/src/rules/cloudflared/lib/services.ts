/**
 * What cloudflared makes of an ingress rule's `service`, in the order of `validateIngress` (ingress/ingress.go):
 * `unix:` and `unix+tls:` sockets, `http_status:NNN`, `hello_world`, `socks-proxy`, `bastion` (or any service
 * when `bastionMode` is on), else a URL that needs a scheme and a host and no path.
 */
import type { ParsedFile } from '../../../model/workspace';
import type { CloudflaredConfig, CloudflaredIngressRule } from '../../../parsers/cloudflared/ast';
import { goString } from './go-yaml';
import { parseGoUrl, type GoUrl } from './go-url';
import { isOn, originRequestSetting } from './origin-request';
import { hasPlaceholder } from './placeholders';

export type Service =
  /** A template placeholder such as `${ORIGIN}` stands in for it. */
  | { kind: 'templated' }
  | { kind: 'unix'; tls: boolean }
  | { kind: 'http_status'; code: number }
  | { kind: 'built-in'; name: 'hello_world' | 'socks-proxy' | 'bastion' }
  | { kind: 'url'; text: string; url: GoUrl }
  | { kind: 'invalid'; text: string; problem: ServiceProblem };

export type ServiceProblem =
  /** `http_status:` with no number, or one outside 100–999. */
  | { reason: 'status'; message: string }
  /** `url.Parse` fails. */
  | { reason: 'unparsable'; message: string }
  /** No scheme or no host: `localhost:8000`, `http:foo`, an empty or missing service. */
  | { reason: 'no-scheme-or-host'; message: string }
  | { reason: 'path'; message: string; url: GoUrl };

/** The rule's service as cloudflared reads it; undefined when `service` is a map or list (a type error). */
export function serviceOf(file: ParsedFile<unknown>, config: CloudflaredConfig, rule: CloudflaredIngressRule): Service | undefined {
  const text = goString(file, rule.service);
  if (text === undefined) return undefined;
  if (hasPlaceholder(text)) return { kind: 'templated' };
  if (text.startsWith('unix:')) return { kind: 'unix', tls: false };
  if (text.startsWith('unix+tls:')) return { kind: 'unix', tls: true };
  if (text.startsWith('http_status:')) return httpStatus(text);
  if (text === 'hello_world' || text === 'hello-world') return { kind: 'built-in', name: 'hello_world' };
  if (text === 'socks-proxy') return { kind: 'built-in', name: 'socks-proxy' };
  if (text === 'bastion' || isOn(originRequestSetting(file, config, rule, 'bastionMode'))) return { kind: 'built-in', name: 'bastion' };
  const parsed = parseGoUrl(text);
  if ('error' in parsed) return { kind: 'invalid', text, problem: { reason: 'unparsable', message: parsed.error } };
  const { url } = parsed;
  if (url.scheme === '' || url.hostname === '') {
    const message = `${text} is an invalid address, please make sure it has a scheme and a hostname`;
    return { kind: 'invalid', text, problem: { reason: 'no-scheme-or-host', message } };
  }
  if (url.path !== '') {
    const message = `${text} is an invalid address, ingress rules don't support proxying to a different path on the origin ` +
      "service. The path will be the same as the eyeball request's path";
    return { kind: 'invalid', text, problem: { reason: 'path', message, url } };
  }
  return { kind: 'url', text, url };
}

/** `strconv.Atoi`, then the 100–999 range check. */
function httpStatus(text: string): Service {
  const digits = text.slice('http_status:'.length);
  const invalid = (message: string): Service => ({ kind: 'invalid', text, problem: { reason: 'status', message } });
  if (!/^[+-]?[0-9]+$/.test(digits)) {
    return invalid(`invalid HTTP status code: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  }
  const code = Number(digits);
  if (!Number.isSafeInteger(code)) return invalid(`invalid HTTP status code: strconv.Atoi: parsing ${JSON.stringify(digits)}: value out of range`);
  if (code < 100 || code > 999) return invalid(`invalid HTTP status code: ${code}`);
  return { kind: 'http_status', code };
}

/** The URL services whose traffic is HTTP (cloudflared's `isHTTPService`); the others are TCP over WebSocket. */
export function isHttpScheme(scheme: string): boolean {
  return scheme === 'http' || scheme === 'https' || scheme === 'ws' || scheme === 'wss';
}
