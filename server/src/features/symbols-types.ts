import type { FileId } from '../core/findings';
import type { Range } from '../core/text';

/** LSP SymbolKind values, mirrored: only those the outline uses. */
export const SYMBOL_KIND = {
  Module: 2,
  Namespace: 3,
  Class: 5,
  Method: 6,
  Property: 7,
  Interface: 11,
  Function: 12,
  Array: 18,
  Object: 19,
  Struct: 23,
} as const;

export type SymbolKindValue = (typeof SYMBOL_KIND)[keyof typeof SYMBOL_KIND];

/** An LSP DocumentSymbol, mirrored. `selectionRange` lies inside `range`. */
export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: SymbolKindValue;
  range: Range;
  selectionRange: Range;
  children?: OutlineSymbol[];
}

/** An LSP WorkspaceSymbol, mirrored with a file id in place of a URI. */
export interface WorkspaceSymbolInfo {
  name: string;
  kind: SymbolKindValue;
  file: FileId;
  range: Range;
  containerName?: string;
}
