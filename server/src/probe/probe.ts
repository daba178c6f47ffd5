import { createSecureContext, rootCertificates } from 'node:tls';
import { inspectBody } from './body';
import { openConnection, type ConnectionSettings } from './connection';
import { exchangeHttp1, type RequestSpec } from './http1';
import { exchangeHttp2 } from './http2';
import { resolveTarget } from './resolve';
import { parseProbeTarget, type ProbeTarget } from './target';
import type { Exchange, ProbeOptions, ProbeResult, TlsReport } from './types';
import { judge } from './verdicts';

export const PROBE_DEFAULTS = { timeoutMs: 10_000, maxBodyBytes: 1024 * 1024, slowThresholdMs: 2000 };

const USER_AGENT = 'origin-doctor-probe';

interface Settings extends ConnectionSettings {
  maxBodyBytes: number;
}

/**
 * `curl -I` and more against one URL: resolve (unless connect-to), HEAD over HTTP/1.1, then a GET that reads
 * a bounded part of the body, then, for https, the same request over HTTP/2 when the server offers h2. Each
 * step on its own connection, so each is timed from the connect. Rejects only on bad input or cancellation.
 */
export async function probeOrigin(options: ProbeOptions): Promise<ProbeResult> {
  const target = parseProbeTarget(options.url, options.connectTo);
  const timeoutMs = options.timeoutMs ?? PROBE_DEFAULTS.timeoutMs;
  const slowThresholdMs = options.slowThresholdMs ?? PROBE_DEFAULTS.slowThresholdMs;
  const step = options.onStep ?? (() => undefined);
  const settings: Settings = {
    timeoutMs,
    signal: options.signal,
    alpn: ['http/1.1'],
    insecure: options.insecure ?? false,
    secureContext: options.ca?.length ? createSecureContext({ ca: [...rootCertificates, ...options.ca] }) : undefined,
    maxBodyBytes: options.maxBodyBytes ?? PROBE_DEFAULTS.maxBodyBytes,
  };

  step(target.connectTo || target.hostIsIp ? `Connecting to ${target.connectTo?.address ?? target.host}` : `Resolving ${target.host}`);
  const dns = await resolveTarget(target, { timeoutMs, signal: options.signal, dnsServers: options.dnsServers });
  const exchanges: Exchange[] = [];
  let tls: TlsReport | undefined;
  if (!dns.failed) {
    const address = dns.addresses[0];
    const port = target.connectTo?.port ?? target.port;
    const methods: Array<Exchange['method']> = options.headOnly ? ['HEAD'] : ['HEAD', 'GET'];
    for (const method of methods) {
      step(`${method} over HTTP/1.1`);
      const run = await runExchange(target, address, port, method, '1.1', settings);
      // The ALPN of these connections is only the http/1.1 they were offered; the HTTP/2 step asks for real.
      if (!tls && run.tls) tls = { ...run.tls, alpn: undefined };
      exchanges.push(run.exchange);
      if (run.exchange.failure && run.exchange.failure.phase !== 'body') break;
    }
    const last = exchanges[exchanges.length - 1];
    if (target.secure && last.status !== undefined) {
      step('Asking for HTTP/2');
      // Offered h2 and http/1.1 as a browser does; the choice is the ALPN the report shows.
      const run = await runExchange(target, address, port, last.method, '2', { ...settings, alpn: ['h2', 'http/1.1'] });
      if (tls && run.tls) tls = { ...tls, alpn: run.tls.alpn ?? 'none' };
      if (run.tls?.alpn === 'h2') exchanges.push(run.exchange);
    }
  }
  const verdicts = judge({ host: target.host, secure: target.secure, dns, tls, exchanges, slowThresholdMs, timeoutMs, headOnly: options.headOnly ?? false });
  return { url: shownUrl(target.url), connectTo: options.connectTo?.trim() || undefined, dns, tls, exchanges, verdicts, slowThresholdMs, timeoutMs };
}

interface ExchangeRun {
  exchange: Exchange;
  tls?: TlsReport;
}

/** One connection and one request on it. For HTTP/2, the request is sent only when ALPN chose h2. */
async function runExchange(target: ProbeTarget, address: string, port: number, method: Exchange['method'], httpVersion: Exchange['httpVersion'], settings: Settings): Promise<ExchangeRun> {
  const connection = await openConnection(target, address, port, settings);
  const exchange: Exchange = { method, httpVersion, address, port, timings: connection.timings, headers: [], failure: connection.failure };
  const socket = connection.socket;
  if (!socket || (httpVersion === '2' && connection.tls?.alpn !== 'h2')) {
    socket?.destroy();
    return { exchange: { ...exchange, bytesRead: connection.bytesRead() }, tls: connection.tls };
  }
  const spec: RequestSpec = {
    method,
    authority: target.url.host,
    path: target.path,
    headers: {
      'User-Agent': USER_AGENT,
      Accept: '*/*',
      // HEAD asks as `curl -I` does; the GET asks for compression, to see what browsers get.
      ...(method === 'GET' ? { 'Accept-Encoding': 'gzip, br' } : {}),
    },
  };
  const send = httpVersion === '2' ? exchangeHttp2 : exchangeHttp1;
  const captured = await send(socket, spec, settings);
  Object.assign(exchange, {
    timings: { ...connection.timings, ...captured.timings },
    status: captured.status,
    statusText: captured.statusText,
    headers: captured.headers,
    failure: captured.failure,
    body: method === 'GET' && captured.status !== undefined ? inspectBody(captured) : undefined,
    bytesRead: connection.bytesRead(),
    bytesAfterEnd: captured.bytesAfterEnd,
  });
  return { exchange, tls: connection.tls };
}

/** The URL as reports show it: a `user:password@` in it is never sent, and is not shown either. */
function shownUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return shown.href;
}
