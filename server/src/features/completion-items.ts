import type { Range } from '../core/text';
import type { SnippetTemplate } from './snippets';
import { snippetPreview } from './snippets';

/** LSP CompletionItemKind values, mirrored: only those the completions use. */
export const ITEM_KIND = {
  Variable: 6,
  Module: 9,
  Property: 10,
  Value: 12,
  Keyword: 14,
  Snippet: 15,
  EnumMember: 20,
} as const;

export type ItemKindValue = (typeof ITEM_KIND)[keyof typeof ITEM_KIND];

/** LSP InsertTextFormat.Snippet. */
const SNIPPET_FORMAT = 2;
/** LSP CompletionItemTag.Deprecated. */
const DEPRECATED_TAG = 1;

/** An LSP CompletionItem, mirrored. The edit replaces what was typed of the word at the cursor. */
export interface CompletionEntry {
  label: string;
  kind: ItemKindValue;
  detail?: string;
  documentation?: { kind: 'markdown'; value: string };
  textEdit: { range: Range; newText: string };
  insertTextFormat?: typeof SNIPPET_FORMAT;
  /** What the typed text is matched against, when not the label (`${host}` for a braced variable). */
  filterText?: string;
  tags?: Array<typeof DEPRECATED_TAG>;
  /** Sorts snippets after the plain names. */
  sortText?: string;
  /** What `completionItem/resolve` needs to add the documentation later (nginx's is large). */
  data?: { nginxDirective: string };
}

export function markdown(value: string): CompletionEntry['documentation'] {
  return { kind: 'markdown', value };
}

/** A plain item: `newText` (default: the label) replaces `range`. */
export function item(
  label: string, kind: ItemKindValue, range: Range, extra: Partial<Omit<CompletionEntry, 'label' | 'kind' | 'textEdit'>> & { newText?: string } = {},
): CompletionEntry {
  const { newText, ...rest } = extra;
  return { label, kind, textEdit: { range, newText: newText ?? label }, ...rest };
}

export function deprecated(): Pick<CompletionEntry, 'tags'> {
  return { tags: [DEPRECATED_TAG] };
}

/** A text with tab stops, e.g. `$http_${1:name}`. */
export function snippetItem(label: string, kind: ItemKindValue, range: Range, body: string, extra: Partial<CompletionEntry> = {}): CompletionEntry {
  return { label, kind, textEdit: { range, newText: body }, insertTextFormat: SNIPPET_FORMAT, ...extra };
}

/** One of our block snippets, with what it inserts shown as its documentation. */
export function templateItem(template: SnippetTemplate, range: Range, language: string): CompletionEntry {
  return snippetItem(template.label, ITEM_KIND.Snippet, range, template.body, {
    detail: template.detail,
    documentation: markdown(`\`\`\`${language}\n${snippetPreview(template.body)}\n\`\`\``),
    sortText: `~${template.label}`,
  });
}
