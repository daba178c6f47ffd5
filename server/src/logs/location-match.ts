import type { NginxNode } from '../model/nginx-tree';
import { pcreMatcher, type PcreMatcher } from './pcre';

/** A `location` block as nginx's matcher sees it. */
interface Candidate {
  node: NginxNode;
  modifier: '=' | '^~' | '' | '~' | '~*';
  pattern: string;
  regex?: PcreMatcher;
}

type Outcome = { location?: NginxNode; final: boolean };

/**
 * The location nginx picks for `uri` in a server, as ngx_http_core_find_location does: an exact `=` match
 * wins at once; else the longest prefix (searching its nested locations the same way); then, unless that
 * prefix is `^~`, the first regex (`~`, `~*`) in the order written, and that regex's nested locations.
 */
export function findLocation(server: NginxNode, uri: string): NginxNode | undefined {
  return findIn(server, uri).location;
}

function findIn(level: NginxNode, uri: string): Outcome {
  const candidates = level.children.flatMap(candidateOf);
  const exact = candidates.find((c) => c.modifier === '=' && c.pattern === uri);
  if (exact) return { location: exact.node, final: true };
  let found: Outcome = { final: false };
  let noRegex = false;
  const prefix = longestPrefix(candidates, uri);
  if (prefix) {
    const nested = findIn(prefix.node, uri);
    if (nested.final) return nested;
    found = { location: nested.location ?? prefix.node, final: false };
    noRegex = prefix.modifier === '^~';
  }
  if (noRegex) return found;
  const regex = candidates.find((c) => c.regex?.test(uri));
  if (!regex) return found;
  return { location: findIn(regex.node, uri).location ?? regex.node, final: true };
}

function longestPrefix(candidates: readonly Candidate[], uri: string): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if ((c.modifier === '' || c.modifier === '^~') && uri.startsWith(c.pattern) && (!best || c.pattern.length > best.pattern.length)) best = c;
  }
  return best;
}

/** `location [=|~|~*|^~] pattern { … }`; named locations (`@name`) are reached only by redirects. */
function candidateOf(node: NginxNode): Candidate[] {
  const { name, args, block } = node.directive;
  if (name !== 'location' || !block || args.length === 0) return [];
  const { modifier, pattern } = splitModifier(args.map((a) => a.value));
  if (modifier === undefined || pattern.startsWith('@')) return [];
  if (modifier !== '~' && modifier !== '~*') return [{ node, modifier, pattern }];
  const regex = pcreMatcher(pattern, modifier === '~*');
  return regex ? [{ node, modifier, pattern, regex }] : [];
}

const MODIFIERS: ReadonlySet<string> = new Set(['=', '^~', '~', '~*']);

/** nginx also reads the modifier glued to the pattern: `location =/x`, `location ~\.php$`. */
function splitModifier([first, second]: string[]): { modifier?: Candidate['modifier']; pattern: string } {
  if (second !== undefined) return { modifier: MODIFIERS.has(first) ? (first as Candidate['modifier']) : undefined, pattern: second };
  const glued = /^(=|\^~|~\*|~)(.+)$/.exec(first);
  return glued ? { modifier: glued[1] as Candidate['modifier'], pattern: glued[2] } : { modifier: '', pattern: first };
}

/**
 * The URI nginx matches locations against: the request target's path, percent-decoded, with `//` merged
 * and `.`/`..` segments resolved (merge_slashes on, as by default).
 */
export function normalizeUri(target: string): string {
  const path = target.split(/[?#]/)[0];
  const decoded = path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      return escapes;
    }
  });
  const segments: string[] = [];
  for (const segment of decoded.split('/').slice(1)) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  const trailing = decoded.length > 1 && /\/\.{0,2}$/.test(decoded) ? '/' : '';
  return `/${segments.join('/')}${segments.length > 0 ? trailing : ''}`;
}
