import { connectionFailure, dnsFailure } from './verdicts-connection';
import { bodyProblems, bytesAfterEnd, healthy, http2Problem, slowProblem, stalledBody, statusProblem } from './verdicts-response';
import type { DnsReport, Exchange, TlsReport, Verdict } from './types';

export interface JudgeInput {
  host: string;
  secure: boolean;
  dns: DnsReport;
  tls?: TlsReport;
  exchanges: Exchange[];
  slowThresholdMs: number;
  timeoutMs: number;
  headOnly: boolean;
}

/**
 * What the probe saw, as the causes of a 502 it points to. A connection that fails yields one verdict (nothing
 * after it was seen); a response can show several problems at once; `ok` only when it shows none.
 */
export function judge(input: JudgeInput): Verdict[] {
  if (input.dns.failed) return [dnsFailure(input.dns)];
  const http1 = input.exchanges.filter((e) => e.httpVersion === '1.1');
  const stopped = http1.find((e) => e.failure && e.failure.phase !== 'body');
  if (stopped) return [connectionFailure(stopped, input)];
  const main = http1[http1.length - 1];
  const problems = [
    statusProblem(main, input),
    ...http1.filter((e) => e.failure).map((e) => stalledBody(e, input)),
    ...http1.filter((e) => e.bytesAfterEnd).map(bytesAfterEnd),
    ...(main.body ? bodyProblems(main) : []),
    http2Problem(input.exchanges, main),
    slowProblem(http1, input.slowThresholdMs),
  ].filter((v): v is Verdict => v !== undefined);
  return problems.length > 0 ? problems : [healthy(main, input)];
}
