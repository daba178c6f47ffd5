import { headerValue } from './body';
import { CLOUDFLARE_CODES, cloudflareMarks, isCloudflareAddress, isCloudflareBrandedPage } from './cloudflare';
import { describeBody, DIRECT_PROBE, formatBytes, formatMs, TRICKLE_NEXT_STEP } from './describe';
import type { Exchange, Verdict } from './types';
import type { JudgeInput } from './verdicts';

/** Verdicts for an HTTP answer: its status and who sent it, its body, HTTP/2 against HTTP/1.1, its speed. */

/** Status advice: what a 5xx or 4xx of the origin itself says about the cause. */
const ORIGIN_STATUS: Record<number, string> = {
  500: 'The application failed: its own log (PHP error log, the app\'s log) has the error.',
  502: 'nginx answered 502 itself: its upstream (PHP-FPM or the app) failed. Look in `/var/log/nginx/error.log` for "connect() failed", "no live upstreams" or "upstream prematurely closed", check that PHP-FPM runs (`systemctl status \'php*-fpm\'`) and listens where `fastcgi_pass`/`proxy_pass` point (`origin-doctor lint` checks that).',
  503: 'The origin is overloaded or in maintenance: PHP-FPM at `pm.max_children`, `limit_req`/`limit_conn`, or a maintenance mode.',
  504: 'nginx\'s upstream timed out (`proxy_read_timeout`/`fastcgi_read_timeout`): find the slow request, or raise the timeout while keeping it below Cloudflare\'s.',
  400: 'The origin rejected the request itself: too-large headers or cookies (`large_client_header_buffers`), or an app that rejects the Host.',
  403: 'The origin refuses: `deny` rules, file permissions, or access limited to Cloudflare\'s IP ranges (then this is expected when bypassing Cloudflare).',
  404: 'The origin has no page or no site for this Host: check that a `server_name` matches it; otherwise the `default_server` answers.',
  421: 'The TLS name (SNI) and the Host chose different server blocks: give both names to one block.',
};

export function statusProblem(exchange: Exchange, input: JudgeInput): Verdict | undefined {
  const status = exchange.status!;
  const marks = cloudflareMarks(exchange.headers);
  if (marks && status >= 400) return cloudflareError(exchange, marks, input);
  if (status < 400) return undefined;
  const server = headerValue(exchange.headers, 'server');
  const by = `${server ? ` (server: ${server})` : ''}`;
  if (status === 400 && /plain HTTP request was sent to HTTPS port/i.test(exchange.body?.text ?? '')) {
    return {
      id: 'origin-4xx',
      finding: `The origin${by} answered 400: a plain HTTP request reached its HTTPS port.`,
      nextStep: 'Probe https:// on this port; in Cloudflare, use SSL mode Full when the origin port is TLS, Flexible only when it is plain HTTP.',
    };
  }
  const advice = ORIGIN_STATUS[status];
  if (status >= 500) {
    return {
      id: 'origin-5xx',
      finding: `The origin itself answered ${status}${by}, not Cloudflare${status === 502 ? ': the web server is up, but what it passes requests to is not' : ''}.`,
      nextStep: advice ?? 'The origin\'s error log at this time says which part failed.',
    };
  }
  return {
    id: 'origin-4xx',
    finding: `The origin answered ${status}${by}: it is up, but refuses or does not know this request.`,
    nextStep: advice ?? 'The origin\'s access and error logs say why this request was refused.',
  };
}

function cloudflareError(exchange: Exchange, marks: { ray?: string; server?: string }, input: JudgeInput): Verdict {
  const status = exchange.status!;
  const seen = [marks.ray && `cf-ray ${marks.ray}`, marks.server && `server: ${marks.server}`].filter(Boolean).join(', ');
  const known = CLOUDFLARE_CODES[status];
  const via = `The answer came through Cloudflare (${seen}), not straight from the origin${cloudflareAddressNote(exchange)}`;
  if (known) return { id: 'cloudflare-error', finding: `${via}: ${status}, ${known.meaning}.`, nextStep: `${known.nextStep} To see the origin's own answer, ${DIRECT_PROBE}.` };
  if (status < 500) {
    return {
      id: 'cloudflare-error',
      finding: `${via}: ${status}; a Cloudflare rule (WAF, access, rate limit) or the origin refused the request.`,
      nextStep: `Look up the Ray ID in Cloudflare's Security → Events; ${DIRECT_PROBE} to see whether the origin refuses it too.`,
    };
  }
  if (input.headOnly || !exchange.body) {
    return {
      id: 'cloudflare-error',
      finding: `${via}: ${status}. Without the body it cannot be told whether the origin or Cloudflare failed.`,
      nextStep: 'Probe without --head-only: Cloudflare\'s branded page means the origin sent the error, a plain page means Cloudflare\'s side.',
    };
  }
  if (isCloudflareBrandedPage(exchange.body.text)) {
    return {
      id: 'cloudflare-error',
      finding: `${via}: ${status} on Cloudflare's branded error page, which means the origin sent the ${status} and Cloudflare relayed it.`,
      nextStep: `Fix the origin: ${DIRECT_PROBE}, then follow that verdict.`,
    };
  }
  return {
    id: 'cloudflare-error',
    finding: `${via}: ${status} on a plain page without Cloudflare's branding, which means the error is on Cloudflare's side, not the origin's.`,
    nextStep: `Check https://www.cloudflarestatus.com; if Cloudflare reports nothing, contact Cloudflare support with the Ray ID${marks.ray ? ` ${marks.ray}` : ''}.`,
  };
}

function cloudflareAddressNote(exchange: Exchange): string {
  return isCloudflareAddress(exchange.address) ? ` (${exchange.address} is a Cloudflare edge address)` : '';
}

export function stalledBody(exchange: Exchange, input: JudgeInput): Verdict {
  const failure = exchange.failure!;
  const received = exchange.body ? formatBytes(exchange.body.received) : 'nothing';
  if (failure.reason === 'trickle') {
    return {
      id: 'response-timeout',
      finding: `The ${exchange.method} response started, then its body was still arriving after ${formatMs(input.timeoutMs)}, a few bytes at a time (${received} in all): the server, or something in front of it, sends it in a trickle.`,
      nextStep: TRICKLE_NEXT_STEP,
    };
  }
  return {
    id: 'response-timeout',
    finding: failure.reason === 'timeout'
      ? `The ${exchange.method} response started, then its body stalled after ${received} for ${formatMs(input.timeoutMs)}: the application stopped sending mid-response.`
      : `The ${exchange.method} response broke off after ${received}: ${failure.message}.`,
    nextStep: 'Look in the web server\'s error log for "upstream timed out" or "upstream prematurely closed" at this time; a script that streams slowly or dies mid-response is the usual cause.',
  };
}

/** Bytes after the response's end: harmless on the probe's closed connection, fatal on a connection kept alive. */
export function bytesAfterEnd(exchange: Exchange): Verdict {
  const kept = 'On a connection kept alive, as Cloudflare\'s and nginx\'s upstream `keepalive` ones are, they are read as the start of the next response, which then fails (520, 502).';
  if (exchange.method === 'HEAD') {
    return {
      id: 'content-length-mismatch',
      finding: `The origin answered HEAD with a body: bytes came after its headers, where a HEAD response ends. ${kept}`,
      nextStep: 'Make the application send no body to HEAD: frameworks leave it out on their own, a hand-written handler or a CGI script that always prints the page does not.',
    };
  }
  return {
    id: 'content-length-mismatch',
    finding: `The ${exchange.method} response went on past its end: bytes came after the body its ${exchange.body?.declaredLength !== undefined ? `Content-Length of ${exchange.body.declaredLength} bytes` : 'framing'} announced. ${kept}`,
    nextStep: 'Let the web server compute Content-Length: remove the app\'s own header where something changes the body after it is set (compression, `sub_filter`, an appended footer).',
  };
}

export function bodyProblems(exchange: Exchange): Verdict[] {
  const body = exchange.body!;
  const problems: Verdict[] = [];
  if (body.end === 'closed' && !exchange.failure && (body.declaredLength !== undefined || body.chunked)) {
    problems.push({
      id: 'content-length-mismatch',
      finding: body.declaredLength !== undefined
        ? `The body ended after ${body.received} of the ${body.declaredLength} bytes its Content-Length announced: browsers and Cloudflare see a broken response.`
        : `The chunked body ended after ${body.received} bytes, before its last chunk: the response was cut off.`,
      nextStep: 'The backend died mid-response or nginx could not buffer it: look in the error log for "upstream prematurely closed" or permission errors on `proxy_temp`/`fastcgi_temp`; an app that sets Content-Length itself and then compresses is the other usual cause (let nginx set it).',
    });
  }
  const decoded = body.decoded;
  if (decoded && !decoded.ok) {
    problems.push({
      id: 'broken-gzip',
      finding: `Content-Encoding says ${body.contentEncoding}, but the body does not decode (${decoded.error}): browsers show an error or garbage.`,
      nextStep: 'Compress in one place only: when nginx has `gzip on`, turn off PHP\'s `zlib.output_compression` and the app\'s own compression (or the reverse), and make sure nothing rewrites the body after it is compressed.',
    });
  } else if (decoded?.ok && decoded.compressedAgain) {
    problems.push({
      id: 'broken-gzip',
      finding: `The body decodes from ${body.contentEncoding} to gzip bytes again: it was compressed twice, and browsers show garbage.`,
      nextStep: 'Compress in one place only: turn off PHP\'s `zlib.output_compression` or the app\'s gzip when nginx has `gzip on` (or the reverse).',
    });
  } else if (body.undeclaredGzip) {
    problems.push({
      id: 'broken-gzip',
      finding: 'The body is gzip bytes, but no Content-Encoding says so: browsers show garbage.',
      nextStep: 'The app compresses but does not say it (or a header is dropped on the way): let nginx compress (`gzip on`) and turn the app\'s compression off.',
    });
  }
  return problems;
}

export function http2Problem(exchanges: Exchange[], main: Exchange): Verdict | undefined {
  const h2 = exchanges.find((e) => e.httpVersion === '2');
  if (!h2) return undefined;
  if (h2.failure) {
    return {
      id: 'http2-partial',
      finding: `The origin offers HTTP/2 (ALPN h2), but the HTTP/2 ${h2.method} failed (${h2.failure.message}) where HTTP/1.1 answered ${main.status}.`,
      nextStep: HTTP2_NEXT_STEP,
    };
  }
  if (h2.status !== main.status) {
    return {
      id: 'http2-partial',
      finding: `The origin answers HTTP/2 with ${h2.status} but HTTP/1.1 with ${main.status}: browsers (HTTP/2) see something else than curl.`,
      nextStep: HTTP2_NEXT_STEP,
    };
  }
  return undefined;
}

const HTTP2_NEXT_STEP = 'Browsers use HTTP/2, tools like curl often HTTP/1.1: look for http2 errors in nginx\'s error log, large headers or cookies (`large_client_header_buffers`, `http2_max_header_size` before 1.19.7), and confirm by turning HTTP/2 off (`http2 off;` or no `http2` on the listen).';

export function slowProblem(http1: Exchange[], thresholdMs: number): Verdict | undefined {
  const slowest = http1.reduce<Exchange | undefined>((worst, e) => ((e.timings.firstByte ?? 0) > (worst?.timings.firstByte ?? 0) ? e : worst), undefined);
  const ttfb = slowest?.timings.firstByte;
  if (!slowest || ttfb === undefined || ttfb <= thresholdMs) return undefined;
  return {
    id: 'slow',
    finding: `The first byte of the ${slowest.method} took ${formatMs(ttfb)} (threshold ${formatMs(thresholdMs)}): the application works long before it answers.`,
    nextStep: 'Find where the time goes: the PHP-FPM slowlog (`request_slowlog_timeout = 5s`), slow database queries, `pm.max_children` reached (requests queue). Past Cloudflare\'s Proxy Read Timeout this becomes a 524.',
  };
}

export function healthy(main: Exchange, input: JudgeInput): Verdict {
  const marks = cloudflareMarks(main.headers);
  const location = headerValue(main.headers, 'location');
  const answered = `${main.status}${location ? ` → ${location}` : ''}`;
  const body = main.body ? `; body ${describeBody(main.body)}` : '';
  const timing = main.timings.firstByte !== undefined ? ` in ${formatMs(main.timings.firstByte)}` : '';
  if (marks) {
    return {
      id: 'ok',
      finding: `Cloudflare answered ${answered}${timing}${body} (cf-ray ${marks.ray ?? 'none'}${cloudflareAddressNote(main)}): this is Cloudflare's edge, not the origin.`,
      nextStep: `If visitors still get 502s, ${DIRECT_PROBE} and compare.`,
    };
  }
  return {
    id: 'ok',
    finding: `The origin answered ${answered}${timing}${body}.${input.tls?.problem ? ` Its certificate was not checked (--insecure): ${input.tls.problem.kind}.` : ''}`,
    nextStep: input.dns.source === 'connect-to' || input.dns.source === 'ip-literal'
      ? 'The origin works on this path. If visitors get 502s, probe the public URL through Cloudflare and compare, and run `origin-doctor lint` on the configs.'
      : 'Nothing to fix on this path. If visitors get 502s on others, probe those, and run `origin-doctor lint` on the configs.',
  };
}

