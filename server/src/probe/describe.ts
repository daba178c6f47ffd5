import type { BodyReport, Exchange, ProbeResult, TlsReport } from './types';

/** Words and numbers shared by the verdicts, the CLI's text and the editor's panel, so all three say the same. */

/** The way around Cloudflare, as `curl -I http://ORIGIN_IP` does it: ask the origin itself. */
export const DIRECT_PROBE = 'probe the origin directly: its IP as the connect-to address (`--connect-to IP`)';

/** For an answer that trickles in, head or body: who sends a few bytes at a time. */
export const TRICKLE_NEXT_STEP = 'Find who sends so slowly: nginx\'s `limit_rate`, a throttling proxy or traffic shaper, a lossy network path, or an app that flushes a byte at a time; probe from the origin host itself (`--connect-to 127.0.0.1`) to tell the network from the server.';

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function exchangeLabel(exchange: Exchange): string {
  return `${exchange.method} HTTP/${exchange.httpVersion}`;
}

/** `HTTP/1.1 200 OK`, or what stopped the exchange. */
export function statusLine(exchange: Exchange): string {
  if (exchange.status === undefined) return exchange.failure ? `no answer: ${exchange.failure.message}` : 'no answer';
  return `HTTP/${exchange.httpVersion} ${exchange.status}${exchange.statusText ? ` ${exchange.statusText}` : ''}`;
}

export type PhaseName = 'dns' | 'connect' | 'tls' | 'firstByte' | 'body';

export const PHASE_LABELS: Record<PhaseName, string> = {
  dns: 'DNS',
  connect: 'connect',
  tls: 'TLS',
  firstByte: 'first byte',
  body: 'body',
};

export interface PhaseSpan {
  phase: PhaseName;
  ms: number;
}

/** The steps of one exchange in order; DNS counts for the first exchange only, as it ran once. */
export function phaseSpans(result: ProbeResult, exchange: Exchange): PhaseSpan[] {
  const spans: PhaseSpan[] = [];
  if (exchange === result.exchanges[0] && result.dns.durationMs !== undefined) spans.push({ phase: 'dns', ms: result.dns.durationMs });
  for (const phase of ['connect', 'tls', 'firstByte', 'body'] as const) {
    const ms = exchange.timings[phase];
    if (ms !== undefined) spans.push({ phase, ms });
  }
  return spans;
}

/** `12.3 KiB of 12.3 KiB (Content-Length), gzip → 48.0 KiB` */
export function describeBody(body: BodyReport): string {
  const parts = [formatBytes(body.received)];
  if (body.declaredLength !== undefined) parts.push(`of ${formatBytes(body.declaredLength)} (Content-Length)`);
  else if (body.chunked) parts.push('chunked');
  if (body.end === 'limit') parts.push('(read up to the limit)');
  if (body.end === 'closed') parts.push('(connection closed before the end)');
  let text = parts.join(' ');
  if (body.contentEncoding) {
    const decoded = body.decoded;
    text += !decoded ? `, ${body.contentEncoding} (not checked)`
      : decoded.ok ? `, ${body.contentEncoding} → ${decoded.capped ? 'over ' : ''}${formatBytes(decoded.bytes)}${decoded.compressedAgain ? ' of gzip again' : ''}`
      : `, ${body.contentEncoding} that does not decode (${decoded.error})`;
  }
  return text;
}

/** Where the probe connected, and why there. */
export function describeDestination(result: ProbeResult): string {
  const first = result.exchanges[0];
  const address = first ? hostPort(first.address, first.port) : result.dns.addresses[0] ?? result.dns.host;
  const why = { 'connect-to': 'connect-to, DNS not asked', 'ip-literal': 'address in the URL', system: 'system resolver', 'dns-servers': 'given DNS servers' }[result.dns.source];
  return `${address} (${why})`;
}

/** The exchange whose status and headers the report leads with: the GET, else the HEAD. */
export function mainExchange(result: ProbeResult): Exchange | undefined {
  const http1 = result.exchanges.filter((e) => e.httpVersion === '1.1');
  return http1[http1.length - 1];
}

/** `example.test → 127.0.0.1, ::1 (system resolver, 2.1 ms)`, or why DNS was not asked. */
export function describeDns(result: ProbeResult): string {
  const { dns } = result;
  if (dns.source === 'connect-to') return `not asked: connect-to ${result.connectTo}`;
  if (dns.source === 'ip-literal') return 'not asked: the URL holds an address';
  const answered = dns.failed ? 'no address' : dns.addresses.join(', ');
  const time = dns.durationMs === undefined ? '' : `, ${formatMs(dns.durationMs)}`;
  return `${dns.host} → ${answered} (${dns.source === 'system' ? 'system resolver' : dns.answers[0]?.resolver ?? 'DNS'}${time})`;
}

/** `TLSv1.3 · TLS_AES_256_GCM_SHA384` */
export function describeTls(tls: TlsReport): string {
  return [tls.protocol, tls.cipher].filter(Boolean).join(' · ') || 'no handshake';
}

/** What the server chose when offered h2 and http/1.1. */
export function describeAlpn(tls: TlsReport): string {
  return tls.alpn ?? 'not asked (the probe stopped before)';
}
