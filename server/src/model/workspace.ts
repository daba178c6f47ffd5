import type { FileId } from '../core/findings';
import type { LineIndex } from '../core/text';
import type { NginxParseResult } from '../parsers/nginx/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import type { CloudflaredParseResult } from '../parsers/cloudflared/ast';
import type { ComposeFile } from '../parsers/compose/parser';
import type { NginxTree } from './nginx-tree';
import type { OriginModel } from './origin';

/** A file of the workspace with its text and its parse tree. */
export interface ParsedFile<T> {
  id: FileId;
  text: string;
  lines: LineIndex;
  parse: T;
}

/** Everything the rules read: the parsed files of the origin and how they fit together. */
export interface WorkspaceModel {
  nginx: ParsedFile<NginxParseResult>[];
  fpm: ParsedFile<FpmParseResult>[];
  cloudflared: ParsedFile<CloudflaredParseResult>[];
  /** Docker Compose files: read for what runs where, never linted. */
  compose: ParsedFile<ComposeFile>[];
  /** The configurations nginx would load: one per main config, one per snippet no other file includes. */
  nginxTrees: NginxTree[];
  /** Servers, upstreams, passes, pools and tunnel routes, related across files. */
  origin: OriginModel;
}
