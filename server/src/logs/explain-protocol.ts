import type { JsonCause } from './explanation-report';

/**
 * What the client and the language server say to each other about logs. Free of runtime imports, so the
 * client bundles only these names.
 */

/** Explains a whole log against the workspace's config: `ExplainLogParams` → `ExplainLogResult`. */
export const EXPLAIN_LOG_REQUEST = 'originDoctor/explainLog';

/** The client command a log diagnostic's "go to" action runs, with a URI and a range. */
export const OPEN_LOCATION_COMMAND = 'originDoctor.openLocation';

/** A log file by URI (streamed from disk on the server), or a log's text (the clipboard, an unsaved editor). */
export interface ExplainLogParams {
  uri?: string;
  text?: string;
  /** How the report names the text's origin, e.g. "Clipboard". */
  label?: string;
}

export interface ExplainLogResult {
  /** The report to show, config lines as links that open them. */
  markdown: string;
  /** The same causes, config files as URIs. */
  causes: JsonCause[];
}
