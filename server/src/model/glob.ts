import { posix } from 'node:path';
import { boundedRegExp } from '../core/bounded-regexp';
import type { FileSystemHost } from './host';

/** The characters that make an nginx `include` argument a glob(3) pattern. */
export function isGlobPattern(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * Expands a glob the way nginx's ngx_open_glob does (glob(3) without GLOB_NOCHECK): each wildcard
 * segment matches entry names, hidden files only when the segment starts with `.`, results sorted.
 * Stops after `limit` matches so a pattern over a huge folder stays bounded; `truncated` says more were left.
 * `withheld` says the host refused to look at a path the pattern passes (an untrusted workspace).
 */
export function expandGlob(host: FileSystemHost, pattern: string, limit: number): { paths: string[]; truncated: boolean; withheld: boolean } {
  const segments = pattern.split('/').filter((s) => s !== '');
  let truncated = false;
  let withheld = false;
  const accepts = (path: string, last: boolean): boolean => {
    const stat = host.stat(path);
    if (stat?.withheld) withheld = true;
    return (last ? stat?.isFile : stat?.isDirectory) === true;
  };
  // The part before the first wildcard is one path, looked at once: not each folder above it, which may lie
  // outside what the host lets be seen.
  const wild = segments.findIndex(isGlobPattern);
  const fixed = wild === -1 ? segments.length : wild;
  const start = posix.join(pattern.startsWith('/') ? '/' : '.', ...segments.slice(0, fixed));
  let bases = fixed === 0 || accepts(start, fixed === segments.length) ? [start] : [];
  for (let i = fixed; i < segments.length && bases.length > 0; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    const next: string[] = [];
    let full = false;
    for (const base of bases) {
      if (!isGlobPattern(segment)) {
        const candidate = posix.join(base, segment);
        if (accepts(candidate, last)) next.push(candidate);
        continue;
      }
      const matcher = segmentMatcher(segment);
      const names = host.readDirectory(base);
      if (!names && host.stat(base)?.withheld) withheld = true;
      for (const name of names ?? []) {
        const candidate = posix.join(base, name);
        if (!matcher(name) || !accepts(candidate, last)) continue;
        // A match beyond the limit: only now is the expansion known to be cut short.
        if (next.length === limit) {
          full = true;
          break;
        }
        next.push(candidate);
      }
      if (full) break;
    }
    truncated ||= full;
    bases = next.sort();
  }
  return { paths: bases, truncated, withheld };
}

function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  let regex: RegExp;
  try {
    regex = boundedRegExp(`^${source}$`);
  } catch {
    return () => false;
  }
  const hiddenAllowed = segment.startsWith('.');
  return (name) => (hiddenAllowed || !name.startsWith('.')) && regex.test(name);
}
