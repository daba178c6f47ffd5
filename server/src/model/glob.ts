import { posix } from 'node:path';
import type { FileSystemHost } from './host';

/** The characters that make an nginx `include` argument a glob(3) pattern. */
export function isGlobPattern(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * Expands a glob the way nginx's ngx_open_glob does (glob(3) without GLOB_NOCHECK): each wildcard
 * segment matches entry names, hidden files only when the segment starts with `.`, results sorted.
 * Stops after `limit` matches so a pattern over a huge folder stays bounded.
 */
export function expandGlob(host: FileSystemHost, pattern: string, limit: number): { paths: string[]; truncated: boolean } {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '');
  let bases = [absolute ? '/' : '.'];
  let truncated = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!isGlobPattern(segment)) {
        const candidate = posix.join(base, segment);
        if (last ? host.stat(candidate)?.isFile : host.stat(candidate)?.isDirectory) next.push(candidate);
        continue;
      }
      const matcher = segmentMatcher(segment);
      for (const name of host.readDirectory(base) ?? []) {
        if (!matcher(name)) continue;
        const candidate = posix.join(base, name);
        const stat = host.stat(candidate);
        if (last ? stat?.isFile : stat?.isDirectory) next.push(candidate);
        if (next.length >= limit) {
          truncated = true;
          break;
        }
      }
    }
    bases = next.sort();
    if (bases.length === 0) break;
  }
  return { paths: bases, truncated };
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
    regex = new RegExp(`^${source}$`);
  } catch {
    return () => false;
  }
  const hiddenAllowed = segment.startsWith('.');
  return (name) => (hiddenAllowed || !name.startsWith('.')) && regex.test(name);
}
