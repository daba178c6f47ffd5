import type { FileId } from '../core/findings';
import type { ExplainedCause } from './explain';
import type { LogSummary } from './log-reader';
import type { ConfigPlace } from './responsible';

/** A cause as `explain-log --format json` prints it: lines 1-based, files named by `display`. */
export interface JsonCause {
  id: string;
  status: string;
  count: number;
  first: string | null;
  last: string | null;
  /** The log's own words, as the most frequent context wrote them. */
  message: string;
  upstream: string | null;
  server: string | null;
  request: string | null;
  pool: string | null;
  title: string;
  explanation: string;
  next: string;
  config: Array<{ file: string; line: number; text: string; role: string }>;
  fixes: Array<{ title: string; rule: string; file: string; line: number }>;
}

export function toJsonCauses(causes: readonly ExplainedCause[], display: (file: FileId) => string): JsonCause[] {
  return causes.map((c) => ({
    id: c.cause.id,
    status: c.cause.status,
    count: c.count,
    first: c.first ?? null,
    last: c.last ?? null,
    message: c.sample.action ? `${c.sample.message} while ${c.sample.action}` : c.sample.message,
    upstream: c.upstream ?? null,
    server: c.sample.server ?? null,
    request: c.sample.request ?? null,
    pool: c.sample.pool ?? null,
    title: c.cause.title,
    explanation: c.cause.explanation,
    next: c.cause.next,
    config: c.config.map((p) => ({ file: display(p.file), line: p.range.start.line + 1, text: p.text, role: p.role })),
    fixes: c.findings.flatMap((f) => (f.fixes ?? []).map((fix) => ({ title: fix.title, rule: f.rule, file: display(f.file), line: f.range.start.line + 1 }))),
  }));
}

export function formatExplanationJson(causes: readonly ExplainedCause[], display: (file: FileId) => string): string {
  return `${JSON.stringify({ causes: toJsonCauses(causes, display) }, null, 2)}\n`;
}

/** The summary table, then each cause in detail: what the log says, why, what to change and where. */
export function formatExplanationText(causes: readonly ExplainedCause[], summary: Pick<LogSummary, 'lines' | 'recognised'>, display: (file: FileId) => string): string {
  if (causes.length === 0) return `No cause of a 502 or 504 found in ${plural(summary.lines, 'line')}.\n`;
  const json = toJsonCauses(causes, display);
  const table = [
    ['CAUSE', 'STATUS', 'COUNT', 'FIRST SEEN', 'LAST SEEN', 'CONFIG'],
    ...json.map((c) => [c.id, c.status, String(c.count), time(c.first), time(c.last), c.config[0] ? `${c.config[0].file}:${c.config[0].line} ${c.config[0].text}` : '-']),
  ];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const rows = table.map((row) => row.map((cell, column) => (column === 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd());
  const details = json.map((c) => [
    `${c.id}: ${c.title}`,
    `  log:      ${c.message}`,
    ...(c.request || c.server || c.upstream || c.pool ? [`  request:  ${context(c)}`] : []),
    `  why:      ${c.explanation}`,
    `  next:     ${c.next}`,
    ...c.config.map((p, i) => `  ${i === 0 ? 'config:' : '       '}   ${p.file}:${p.line}  ${p.text}  (${p.role})`),
    ...c.fixes.map((f) => `  fix:      ${f.title} (${f.rule} at ${f.file}:${f.line})`),
  ].join('\n'));
  const footer = `${plural(summary.lines, 'line')} read, ${summary.recognised} explained by ${plural(causes.length, 'cause')}.`;
  return `${rows.join('\n')}\n\n${details.join('\n\n')}\n\n${footer}\n`;
}

/** The same as Markdown for the editor, each config line a link that opens it. */
export function formatExplanationMarkdown(
  causes: readonly ExplainedCause[], summary: Pick<LogSummary, 'lines' | 'recognised'>, source: string,
  display: (file: FileId) => string, link: (file: FileId, line: number) => string,
): string {
  const heading = `# Origin Doctor: ${escape(source)}\n\n${plural(summary.lines, 'line')} read, ${summary.recognised} explained by ${plural(causes.length, 'cause')}.\n`;
  if (causes.length === 0) return `${heading}\nNo cause of a 502 or 504 found.\n`;
  const configLink = (place: ConfigPlace) => `[${escape(`${display(place.file)}:${place.range.start.line + 1}`)}](${link(place.file, place.range.start.line)})`;
  const json = toJsonCauses(causes, display);
  const rows = causes.map((explained, i) => ({ explained, json: json[i] }));
  const table = [
    '| Cause | Status | Count | First seen | Last seen | Config |',
    '| --- | --- | ---: | --- | --- | --- |',
    ...rows.map(({ explained, json: c }) => `| \`${c.id}\` | ${c.status} | ${c.count} | ${time(c.first)} | ${time(c.last)} | ${explained.config[0] ? configLink(explained.config[0]) : '–'} |`),
  ].join('\n');
  const details = rows.map(({ explained, json: c }) => [
    `## \`${c.id}\`: ${escape(c.title)}`,
    '',
    `\`\`\`\n${c.message}\n\`\`\``,
    ...(c.request || c.server || c.upstream || c.pool ? ['', escape(context(c))] : []),
    '',
    escape(c.explanation),
    '',
    `**Next:** ${escape(c.next)}`,
    ...(explained.config.length > 0 ? ['', '**Config:**', ...explained.config.map((p) => `- ${configLink(p)} \`${p.text}\`: ${escape(p.role)}`)] : []),
    ...(c.fixes.length > 0 ? ['', '**Quick fixes** (from the config rules, offered on the log line and on the config line):', ...c.fixes.map((f) => `- ${escape(f.title)} (\`${f.rule}\`)`)] : []),
  ].join('\n'));
  return `${heading}\n${table}\n\n${details.join('\n\n')}\n`;
}

function context(c: JsonCause): string {
  const parts = [
    c.request && `request "${c.request}"`,
    c.server && `server ${c.server}`,
    c.upstream && `upstream ${c.upstream}`,
    c.pool && `pool ${c.pool}`,
  ];
  return parts.filter(Boolean).join(', ');
}

function time(value: string | null): string {
  return value ? value.replace('T', ' ') : '-';
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** Markdown's own characters, so a log's `*`, `_` or `|` stay text. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, '\\$&');
}
