import type { Rule } from '../core/rule';
import type { CliDiagnostic } from './report';

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rules as the driver's rules, relative URIs. */
export function formatSarif(diagnostics: CliDiagnostic[], rules: readonly Rule[], version: string): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Origin Doctor',
            version,
            informationUri: 'https://www.npmjs.com/package/origin-doctor',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.docs },
              help: { text: r.docs, markdown: r.docs },
              defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
            })),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.rule,
          ...(ruleIndex.has(d.rule) ? { ruleIndex: ruleIndex.get(d.rule) } : {}),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [location(d.file, d.line, d.column, d.endLine, d.endColumn)],
          ...(d.related.length > 0
            ? { relatedLocations: d.related.map((r, id) => ({ id, ...location(r.file, r.line, r.column), message: { text: r.message } })) }
            : {}),
          ...(d.fixes.length > 0
            ? {
                fixes: d.fixes.map((fix) => ({
                  description: { text: fix.title },
                  artifactChanges: fix.edits.map((e) => ({
                    artifactLocation: { uri: sarifUri(e.file) },
                    replacements: [{
                      deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
                      insertedContent: { text: e.newText },
                    }],
                  })),
                })),
              }
            : {}),
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function location(file: string, startLine: number, startColumn: number, endLine?: number, endColumn?: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: sarifUri(file) },
      region: { startLine, startColumn, ...(endLine ? { endLine, endColumn } : {}) },
    },
  };
}

/** SARIF wants URI references: forward slashes, percent-encoded, relative to the scanned root. */
function sarifUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
