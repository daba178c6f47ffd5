import type { NginxBlock, NginxDirective } from '../../../server/src/parsers/nginx/ast';
import { NginxWord } from '../../../server/src/parsers/nginx/lexer';
import { ParsedComment } from '../../../server/src/parsers/nginx/span';

/** A parse result as plain objects, to compare exactly: arguments, directives, blocks and comments build their ranges when asked. */
export function plain<T>(value: T): T {
  if (value instanceof NginxWord) return { value: value.value, raw: value.raw, quote: value.quote, range: value.range } as T;
  if (value instanceof ParsedComment) return { text: value.text, range: value.range } as T;
  if (isDirective(value)) {
    const { name, nameRange, args, range, terminator, block, rawBody } = value;
    return { name, nameRange, args: plain(args), range, terminator, ...(block ? { block: plain(block) } : {}), ...(rawBody ? { rawBody } : {}) } as T;
  }
  if (isBlock(value)) return { children: plain(value.children), range: value.range, closed: value.closed } as T;
  if (Array.isArray(value)) return value.map(plain) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) as T;
  return value;
}

function isBlock(value: unknown): value is NginxBlock {
  return typeof value === 'object' && value !== null && 'children' in value && 'closed' in value;
}

function isDirective(value: unknown): value is NginxDirective {
  return typeof value === 'object' && value !== null && 'nameRange' in value && 'terminator' in value;
}
