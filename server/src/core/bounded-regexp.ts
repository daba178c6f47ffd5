import { setFlagsFromString } from 'node:v8';

let bounded = false;

/**
 * A regular expression built from what a config or a log says: an include's glob, a location's PCRE, a host template.
 * JavaScript backtracks without bound where PCRE stops at its match limit, so a pattern with nested or repeated
 * quantifiers (`^/(a+)+$`, `a*a*a*a*a*a*a*b.conf`) met with the wrong text runs for hours. Past a bound on
 * backtracking, V8 runs the regex on its linear-time engine instead: a process-wide flag, set before the first one is
 * made. (That engine cannot run back-references or look-arounds: see `logs/pcre.ts`.) Throws as `new RegExp` does.
 */
export function boundedRegExp(source: string, flags = ''): RegExp {
  if (!bounded) {
    setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    bounded = true;
  }
  return new RegExp(source, flags);
}
