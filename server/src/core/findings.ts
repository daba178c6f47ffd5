import type { Range } from './text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export const SEVERITIES: readonly SeveritySetting[] = ['off', 'hint', 'information', 'warning', 'error'];

/** A file is named by a URI-like string the host chooses (file path in the CLI, URI in the server). */
export type FileId = string;

export interface TextEdit {
  file: FileId;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The safest of several fixes; the editor offers it first. */
  isPreferred?: boolean;
}

export interface Related {
  file: FileId;
  range: Range;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  file: FileId;
  range: Range;
  message: string;
  related?: Related[];
  fixes?: Fix[];
}
