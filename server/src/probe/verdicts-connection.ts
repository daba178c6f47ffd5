import { DIRECT_PROBE, formatBytes, formatMs, hostPort, TRICKLE_NEXT_STEP } from './describe';
import { MAX_HEADER_BYTES } from './http1';
import type { DnsReport, Exchange, ResolverAnswer, TlsProblemKind, TlsReport, Verdict } from './types';
import type { JudgeInput } from './verdicts';

/** Verdicts for a probe that got no HTTP answer: DNS, TCP, TLS, or a connection that stayed silent or closed. */

const DNS_ERRORS: Record<string, string> = {
  ENOTFOUND: 'no such name (NXDOMAIN)',
  ENODATA: 'no record of this type',
  ESERVFAIL: 'server failure (SERVFAIL)',
  EREFUSED: 'refused the query',
  ETIMEOUT: 'no answer in time',
  ETIMEDOUT: 'no answer in time',
  ECONNREFUSED: 'unreachable (connection refused)',
  EAI_AGAIN: 'temporary failure: no DNS server answered',
};

function describeAnswer(answer: ResolverAnswer): string {
  const said = answer.addresses?.length ? answer.addresses.join(', ') : answer.error ? DNS_ERRORS[answer.error] ?? answer.error : 'nothing';
  return `${answer.resolver} (${answer.query}): ${said}`;
}

export function dnsFailure(dns: DnsReport): Verdict {
  return {
    id: 'dns-failure',
    finding: `${dns.host} does not resolve. ${dns.answers.map(describeAnswer).join('; ')}.`,
    nextStep: `Check the A/AAAA record of ${dns.host} in Cloudflare's DNS tab (and that the zone's nameservers are Cloudflare's); to test the origin meanwhile, ${DIRECT_PROBE}.`,
  };
}

export function connectionFailure(exchange: Exchange, input: JudgeInput): Verdict {
  const failure = exchange.failure!;
  const where = hostPort(exchange.address, exchange.port);
  const waited = formatMs(input.timeoutMs);
  if (failure.phase === 'connect' && failure.reason === 'refused') {
    return {
      id: 'origin-refused',
      finding: `Nothing listens on ${where}: the connection was refused (${failure.code}). The web server is down or listens elsewhere; Cloudflare shows this as 521.`,
      nextStep: `Restart the web server (\`sudo systemctl restart nginx\`), then check that it listens on port ${exchange.port} (\`sudo ss -ltnp\`); if it does not start, \`sudo nginx -t\` and \`journalctl -u nginx\` say why.`,
    };
  }
  if (failure.phase === 'connect') {
    const what = failure.reason === 'timeout' ? `no TCP answer from ${where} in ${waited}` : `${where} is unreachable (${failure.code})`;
    return {
      id: 'connect-timeout',
      finding: `${capitalize(what)}: a firewall drops the traffic or the host is down; Cloudflare shows this as 522.`,
      nextStep: `Check that the host is up and that its firewall (ufw, iptables, the cloud provider's security group) accepts port ${exchange.port}, from Cloudflare's IP ranges (cloudflare.com/ips) when the site is proxied.`,
    };
  }
  if (failure.phase === 'tls' && failure.reason === 'timeout') return stalledHandshake(exchange, input);
  if (failure.phase === 'tls') return tlsFailure(input, failure.code, failure.message);
  if (failure.reason === 'timeout' || failure.reason === 'trickle') return unfinishedHead(exchange, input);
  if (failure.reason === 'headers-too-large') {
    return {
      id: 'headers-too-large',
      finding: `${where} answered with a status line and headers that went on past ${formatBytes(MAX_HEADER_BYTES)} without ending, where the probe stopped reading (${failure.code}: Node's HTTP parser keeps to this limit). Cloudflare names response headers over 16 KB as a cause of 520, and an nginx proxying to this server answers 502 ("upstream sent too big header") once they pass its \`proxy_buffer_size\` (4k or 8k).`,
      nextStep: 'Find the header that grows: `curl -sI --max-time 5 URL | cut -c1-80 | sort | uniq -c | sort -rn | head` (many or huge Set-Cookie lines, a long Content-Security-Policy, a debug header) and make the app send less. Raising `proxy_buffer_size`/`fastcgi_buffer_size` helps only the nginx hop, not Cloudflare.',
    };
  }
  if (failure.reason === 'framing') {
    return {
      id: 'content-length-mismatch',
      finding: `${where} answered with length headers that contradict each other (${failure.message}): browsers and Cloudflare cannot tell where the body ends, and Cloudflare answers 502.`,
      nextStep: 'Let the web server compute Content-Length: remove `add_header Content-Length` (or the app\'s own header) where gzip compresses the body, and make sure only one layer compresses.',
    };
  }
  const what = failure.reason === 'not-http' ? `answered something that is not HTTP (${failure.message})` : `closed the connection without an answer (${failure.code})`;
  return {
    id: 'no-http-reply',
    finding: `${where} accepted the connection but ${what}. Cloudflare shows this as 520.`,
    nextStep: failure.reason === 'not-http' && !input.secure
      ? 'Check the port: it may speak TLS (probe https://) or another protocol than HTTP.'
      : 'Look in the web server\'s error log at this time: a crash of the worker, `return 444`, or a proxy in front that drops the request.',
  };
}

/** The TLS handshake did not finish in time: no answer at all, or an answer begun and then stalled or trickling. */
function stalledHandshake(exchange: Exchange, input: JudgeInput): Verdict {
  const where = hostPort(exchange.address, exchange.port);
  const waited = formatMs(input.timeoutMs);
  if (!exchange.bytesRead) {
    return {
      id: 'response-timeout',
      finding: `Connected to ${where}, but the TLS handshake got no answer in ${waited}: nothing on this port speaks TLS, or the server is too busy to answer.`,
      nextStep: `Check that port ${exchange.port} is the HTTPS one (\`listen ${exchange.port} ssl\`), and the server's load; probe http:// to compare.`,
    };
  }
  return {
    id: 'response-timeout',
    finding: `Connected to ${where}; the server began the TLS handshake (${formatBytes(exchange.bytesRead)} of its answer came) but did not finish it in ${waited}: the rest of its answer, the certificate above all, never arrived.`,
    nextStep: 'Large packets that never arrive point at the path MTU (a VPN or tunnel without MSS clamping drops them: compare `ping -M do -s 1472` with a smaller size); otherwise look at the TLS terminator\'s load and error log at this time.',
  };
}

/** No status line and headers in time: nothing at all, headers begun and then stalled, or headers trickling in. */
function unfinishedHead(exchange: Exchange, input: JudgeInput): Verdict {
  const where = hostPort(exchange.address, exchange.port);
  const waited = formatMs(input.timeoutMs);
  const read = formatBytes(exchange.bytesRead ?? 0);
  if (exchange.failure!.reason === 'trickle') {
    return {
      id: 'response-timeout',
      finding: `Connected to ${where}; the response's status line and headers were still arriving after ${waited}, a few bytes at a time (${read} in all): the server, or something in front of it, sends its answer in a trickle.`,
      nextStep: TRICKLE_NEXT_STEP,
    };
  }
  if (exchange.timings.firstByte !== undefined) {
    return {
      id: 'response-timeout',
      finding: `Connected to ${where}; the response began (${read}) but stopped before the end of its headers, and nothing more came in ${waited}: the server hung mid-answer.`,
      nextStep: 'Look in the web server\'s error log at this time: a backend that writes its own headers (CGI, a proxied app) and then blocks is the usual cause.',
    };
  }
  return {
    id: 'response-timeout',
    finding: `Connected to ${where}, but no response came in ${waited}: the server accepted the request and the application behind it did not answer (overloaded, or a long-running request).`,
    nextStep: 'Look in `/var/log/nginx/error.log` for "upstream timed out" and in the PHP-FPM log for "server reached pm.max_children"; find the slow requests with the PHP-FPM slowlog (`request_slowlog_timeout`). Past Cloudflare\'s Proxy Read Timeout visitors get 524.',
  };
}

const TLS_FINDINGS: Record<TlsProblemKind, (input: JudgeInput, tls: TlsReport) => Pick<Verdict, 'finding' | 'nextStep'>> = {
  'self-signed': (input, tls) => ({
    finding: `The certificate of ${input.host} is self-signed (${tls.certificate?.subject ?? 'no subject'}): no browser or Cloudflare in Full (strict) mode trusts it (Cloudflare shows 526).`,
    nextStep: 'Install a certificate from a public CA (Let\'s Encrypt) or a Cloudflare Origin CA certificate, or set Cloudflare\'s SSL mode to Full (not strict). To probe past it: `--insecure`.',
  }),
  expired: (input, tls) => ({
    finding: `The certificate of ${input.host} expired on ${tls.certificate?.validTo ?? 'an earlier date'}; Cloudflare in Full (strict) mode answers 526.`,
    nextStep: 'Renew it (`sudo certbot renew`, then `sudo systemctl reload nginx`) and check the renewal timer (`systemctl list-timers`).',
  }),
  'not-yet-valid': (input, tls) => ({
    finding: `The certificate of ${input.host} is valid only from ${tls.certificate?.validFrom ?? 'a later date'}: the origin's clock or the certificate is wrong.`,
    nextStep: 'Check the clock of the host that made it (`timedatectl`) and reissue the certificate.',
  }),
  'wrong-name': (input, tls) => ({
    finding: `The certificate is for ${tls.certificate?.names.join(', ') || 'other names'}, not ${input.host}: Cloudflare in Full (strict) mode answers 526.`,
    nextStep: `Serve a certificate that names ${input.host}: check \`ssl_certificate\` in the server block whose \`server_name\` is ${input.host}; if another block answers (a \`default_server\`), its certificate is the one sent.`,
  }),
  'untrusted-issuer': (input, tls) => /cloudflare origin/i.test(tls.certificate?.issuer ?? '')
    ? {
      finding: `${input.host} serves a Cloudflare Origin CA certificate: only Cloudflare trusts it, so a direct probe cannot verify it. That is expected.`,
      nextStep: 'Probe again with `--insecure` to see past the certificate; Cloudflare itself accepts it in Full (strict) mode.',
    }
    : {
      finding: `The certificate of ${input.host} (issued by ${tls.certificate?.issuer ?? 'an unknown issuer'}) does not chain to a trusted authority: the intermediate certificate is missing, or the issuer is private.`,
      nextStep: 'Serve the full chain (`ssl_certificate .../fullchain.pem`, not `cert.pem`); for a private CA, probe with `--cacert`.',
    },
  'no-shared-protocol': (input, tls) => ({
    finding: `${input.host} and this client share no TLS version (${tls.problem?.message}): the origin offers only old versions, or none this client allows; Cloudflare shows 525.`,
    nextStep: 'Enable TLS 1.2 and 1.3 on the origin: `ssl_protocols TLSv1.2 TLSv1.3;`, then `sudo nginx -t && sudo systemctl reload nginx`.',
  }),
  'no-shared-cipher': (input, tls) => ({
    finding: `${input.host} and this client share no cipher (${tls.problem?.message}); Cloudflare shows 525.`,
    nextStep: 'Use a standard cipher list (Mozilla\'s "intermediate" `ssl_ciphers`) and check that the key matches the certificate.',
  }),
  'not-tls': (input, tls) => ({
    finding: `The port answered, but not with TLS (${tls.problem?.message}): it serves plain HTTP.`,
    nextStep: `Probe http:// on this port, or add \`ssl\` to its \`listen\` (with \`ssl_certificate\`) to serve https for ${input.host}.`,
  }),
  handshake: (input, tls) => ({
    finding: `The TLS handshake with ${input.host} failed: ${tls.problem?.message}.`,
    nextStep: 'Check the server\'s TLS settings (`ssl_protocols`, `ssl_ciphers`, the certificate and key) and its error log; Cloudflare shows 525 for this.',
  }),
};

function tlsFailure(input: JudgeInput, code: string, message: string): Verdict {
  const tls: TlsReport = input.tls?.problem ? input.tls : { ...input.tls, problem: { kind: 'handshake', code, message } };
  return { id: 'tls-failure', ...TLS_FINDINGS[tls.problem!.kind](input, tls) };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
