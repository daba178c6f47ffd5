import type { FileId } from '../core/findings';
import type { LineIndex } from '../core/text';
import type { NginxParseResult } from '../parsers/nginx/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import type { CloudflaredParseResult } from '../parsers/cloudflared/ast';

/** A file of the workspace with its text and its parse tree. */
export interface ParsedFile<T> {
  id: FileId;
  text: string;
  lines: LineIndex;
  parse: T;
}

export interface WorkspaceModel {
  nginx: ParsedFile<NginxParseResult>[];
  fpm: ParsedFile<FpmParseResult>[];
  cloudflared: ParsedFile<CloudflaredParseResult>[];
}
