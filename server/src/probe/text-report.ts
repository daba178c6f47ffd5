import {
  describeAlpn, describeBody, describeDestination, describeDns, describeTls, exchangeLabel, formatMs, mainExchange, PHASE_LABELS, phaseSpans, statusLine,
} from './describe';
import type { ProbeResult } from './types';

/** The probe as the CLI prints it: verdicts first, then what they rest on. */
export function formatProbeText(result: ProbeResult): string {
  const lines: string[] = [];
  for (const verdict of result.verdicts) {
    lines.push(`${verdict.id}: ${verdict.finding}`, `  next: ${verdict.nextStep}`);
  }
  lines.push('', `Probe    ${result.url} at ${describeDestination(result)}`, `DNS      ${describeDns(result)}`);
  for (const exchange of result.exchanges) {
    const timing = phaseSpans(result, exchange).map((s) => `${PHASE_LABELS[s.phase]} ${formatMs(s.ms)}`).join(' · ');
    lines.push(`${exchangeLabel(exchange).padEnd(14)} ${statusLine(exchange)}${timing ? `  [${timing}]` : ''}`);
    if (exchange.body) lines.push(`${''.padEnd(14)} body ${describeBody(exchange.body)}`);
  }
  const tls = result.tls;
  if (tls) {
    lines.push(`TLS      ${describeTls(tls)}`, `  ALPN     ${describeAlpn(tls)}`);
    const certificate = tls.certificate;
    if (certificate) {
      lines.push(
        `  subject  ${certificate.subject}`,
        `  issuer   ${certificate.issuer}${certificate.selfSigned ? ' (self-signed)' : ''}`,
        `  valid    ${certificate.validFrom} to ${certificate.validTo}`,
        `  names    ${certificate.names.join(', ') || '(none)'}`,
      );
    }
    if (tls.problem) lines.push(`  problem  ${tls.problem.kind} (${tls.problem.code})`);
  }
  const main = mainExchange(result);
  if (main?.headers.length) {
    lines.push(`Headers of the ${exchangeLabel(main)}:`, ...main.headers.map(([name, value]) => `  ${name}: ${value}`));
  }
  return `${lines.join('\n')}\n`;
}
