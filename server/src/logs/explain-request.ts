import type { FileId } from '../core/findings';
import type { Analysis } from '../engine/engine';
import { idToUri, uriToId } from '../lsp/convert';
import { explainGroups } from './explain';
import type { ExplainLogParams, ExplainLogResult } from './explain-protocol';
import { formatExplanationMarkdown, toJsonCauses } from './explanation-report';
import { analyzeLogFile, analyzeLogText, type ReadOptions } from './log-reader';

/**
 * Explains a whole log against the workspace's config; cancellable and reporting progress as it reads.
 * `display` names config files in the report (e.g. relative to the workspace folder).
 */
export async function explainLogRequest(
  params: ExplainLogParams, analysis: Analysis, options: ReadOptions = {}, display: (file: FileId) => string = (file) => file,
): Promise<ExplainLogResult> {
  const path = params.uri ? uriToId(params.uri) : undefined;
  const summary = path ? await analyzeLogFile(path, options) : analyzeLogText(params.text ?? '');
  const causes = explainGroups(summary.groups, analysis);
  const source = params.label ?? (path && display(path)) ?? 'Log';
  return {
    markdown: formatExplanationMarkdown(causes, summary, source, display, (file, line) => `${idToUri(file)}#L${line + 1}`),
    causes: toJsonCauses(causes, idToUri),
  };
}

/** Names a file relative to the workspace folder that holds it, as the editor does. */
export function relativeToRoots(roots: readonly string[]): (file: FileId) => string {
  return (file) => {
    const root = roots.find((r) => file.startsWith(`${r}/`));
    return root ? file.slice(root.length + 1) : file;
  };
}
