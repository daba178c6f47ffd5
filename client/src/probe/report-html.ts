import {
  describeAlpn, describeBody, describeDestination, describeDns, describeTls, exchangeLabel, formatMs, mainExchange, PHASE_LABELS, phaseSpans, statusLine,
  type PhaseName,
} from '../../../server/src/probe/describe';
import type { ProbeResult } from '../../../server/src/probe/types';

/**
 * The probe as a page read at a glance: verdicts with their next steps, a bar per exchange for its phases,
 * the response, TLS and DNS. No script and no resource at all: the CSP allows only the page's own styles,
 * and every text that came from the network or the user is escaped.
 */
export function renderProbeReport(result: ProbeResult, nonce: string): string {
  const healthy = result.verdicts.every((v) => v.id === 'ok');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>Probe ${escapeHtml(result.url)}</title>
<style nonce="${nonce}">${STYLE}</style></head>
<body>
<header><h1><span class="badge ${healthy ? 'good' : 'bad'}">${healthy ? 'ok' : 'problem'}</span> ${escapeHtml(result.url)}</h1>
<p class="muted">at ${escapeHtml(describeDestination(result))}</p></header>
${result.verdicts.map((v) => `<section class="verdict ${v.id === 'ok' ? 'good' : 'bad'}"><h2>${escapeHtml(v.id)}</h2>
<p>${withCode(v.finding)}</p><p class="next"><strong>Next step:</strong> ${withCode(v.nextStep)}</p></section>`).join('\n')}
${timingSection(result)}
${responseSection(result)}
${tlsSection(result)}
<section><h2>DNS</h2><p>${escapeHtml(describeDns(result))}</p>${answersList(result)}</section>
</body></html>`;
}

const PHASE_ORDER: PhaseName[] = ['dns', 'connect', 'tls', 'firstByte', 'body'];

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); line-height: 1.45; max-width: 72em; }
h1 { font-size: 1.3em; word-break: break-all; }
h2 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
.muted, .legend { color: var(--vscode-descriptionForeground); }
.badge { padding: 0.1em 0.5em; border-radius: 0.3em; color: var(--vscode-editor-background); font-size: 0.85em; vertical-align: middle; }
.badge.good { background: var(--vscode-testing-iconPassed); }
.badge.bad { background: var(--vscode-errorForeground); }
.verdict { border-left: 0.3em solid; padding: 0.1em 0.9em; margin: 0.8em 0; background: var(--vscode-textBlockQuote-background); }
.verdict.good { border-color: var(--vscode-testing-iconPassed); }
.verdict.bad { border-color: var(--vscode-errorForeground); }
.verdict h2 { margin-top: 0.5em; font-family: var(--vscode-editor-font-family); }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 0.2em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.2em 0.6em 0.2em 0; }
th { font-weight: 600; white-space: nowrap; }
td.bar { width: 45%; }
td.bar svg { width: 100%; height: 0.9em; display: block; margin-top: 0.3em; }
td.num { white-space: nowrap; text-align: right; }
.headers td, .headers th { font-family: var(--vscode-editor-font-family); font-size: 0.92em; word-break: break-all; }
.headers th { font-weight: normal; color: var(--vscode-descriptionForeground); width: 1%; white-space: nowrap; padding-right: 1.5em; }
.dns { fill: var(--vscode-charts-purple); } .connect { fill: var(--vscode-charts-blue); } .tls { fill: var(--vscode-charts-yellow); }
.firstByte { fill: var(--vscode-charts-orange); } .body { fill: var(--vscode-charts-green); }
.legend svg { width: 0.8em; height: 0.8em; margin: 0 0.2em 0 0.8em; vertical-align: -0.05em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; } dt { color: var(--vscode-descriptionForeground); } dd { margin: 0; word-break: break-all; }
`;

/** One bar per exchange, all on one scale; each starts at 0, as each exchange opened its own connection. */
function timingSection(result: ProbeResult): string {
  if (result.exchanges.length === 0) return '';
  const spans = result.exchanges.map((e) => phaseSpans(result, e));
  const longest = Math.max(1e-3, ...spans.map((s) => s.reduce((sum, span) => sum + span.ms, 0)));
  const rows = result.exchanges.map((exchange, i) => {
    let x = 0;
    const rects = spans[i].map((span) => {
      const width = (span.ms / longest) * 1000;
      const rect = `<rect class="${span.phase}" x="${x.toFixed(1)}" y="0" width="${Math.max(width, 2).toFixed(1)}" height="10"><title>${PHASE_LABELS[span.phase]} ${formatMs(span.ms)}</title></rect>`;
      x += width;
      return rect;
    }).join('');
    const total = spans[i].reduce((sum, span) => sum + span.ms, 0);
    const detail = spans[i].map((span) => `${PHASE_LABELS[span.phase]} ${formatMs(span.ms)}`).join(' · ');
    return `<tr><th>${escapeHtml(exchangeLabel(exchange))}</th><td>${escapeHtml(statusLine(exchange))}<br><span class="muted">${escapeHtml(detail)}</span></td>`
      + `<td class="bar"><svg viewBox="0 0 1000 10" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(detail)}">${rects}</svg></td><td class="num">${formatMs(total)}</td></tr>`;
  });
  const legend = PHASE_ORDER.map((phase) => `<svg viewBox="0 0 10 10" aria-hidden="true"><rect class="${phase}" width="10" height="10"/></svg>${PHASE_LABELS[phase]}`).join('');
  return `<section><h2>Timing</h2><table>${rows.join('\n')}</table><p class="legend">${legend}</p></section>`;
}

function responseSection(result: ProbeResult): string {
  const main = mainExchange(result);
  if (!main || main.status === undefined) return '';
  const body = result.exchanges.filter((e) => e.body).map((e) => `<p>${escapeHtml(exchangeLabel(e))} body: ${escapeHtml(describeBody(e.body!))}</p>`).join('');
  const headers = main.headers.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  return `<section><h2>Response</h2><p><strong>${escapeHtml(statusLine(main))}</strong> <span class="muted">(${escapeHtml(exchangeLabel(main))})</span></p>${body}
<table class="headers">${headers}</table></section>`;
}

function tlsSection(result: ProbeResult): string {
  const tls = result.tls;
  if (!tls) return '';
  const certificate = tls.certificate;
  const rows: Array<[string, string | undefined]> = [
    ['Connection', describeTls(tls)],
    ['ALPN', describeAlpn(tls)],
    ['Problem', tls.problem && `${tls.problem.kind} (${tls.problem.code})`],
    ['Subject', certificate?.subject],
    ['Issuer', certificate && `${certificate.issuer}${certificate.selfSigned ? ' (self-signed)' : ''}`],
    ['Valid', certificate && `${certificate.validFrom} to ${certificate.validTo}`],
    ['Names', certificate?.names.join(', ')],
    ['SHA-256', certificate?.sha256],
  ];
  const items = rows.filter(([, value]) => value).map(([key, value]) => `<dt>${key}</dt><dd>${escapeHtml(value!)}</dd>`).join('');
  return `<section><h2>TLS</h2><dl>${items}</dl></section>`;
}

function answersList(result: ProbeResult): string {
  if (result.dns.answers.length === 0) return '';
  const items = result.dns.answers.map((a) => `<li>${escapeHtml(`${a.resolver} (${a.query}): ${a.addresses?.join(', ') || a.error || 'nothing'}`)}</li>`);
  return `<ul>${items.join('')}</ul>`;
}

/** Escaped text in which `backticks` become code, as the verdicts write commands and directives. */
function withCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
