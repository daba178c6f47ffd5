import { createContext, Script } from 'node:vm';
import { boundedRegExp } from '../core/bounded-regexp';

/**
 * Back-references and look-arounds, which V8's linear-time engine cannot run (see `boundedRegExp`): matched against
 * what logs hold (URIs and Host headers anyone can send), their runs are timed out instead.
 */
const BEYOND_LINEAR = /\\[1-9]|\\k<|\(\?<?[=!]/;
const MATCH_TIMEOUT_MS = 50;

export interface PcreMatcher {
  /** Whether the regex matches `text`; false for a match not decided within `MATCH_TIMEOUT_MS`. */
  test(text: string): boolean;
}

/**
 * An nginx (PCRE) regex as a JavaScript one: the common syntax is the same, and Python-style named groups
 * `(?P<name>…)` become `(?<name>…)`. Undefined when JavaScript cannot read it: what uses it then never matches.
 */
export function pcreMatcher(source: string, caseless: boolean): PcreMatcher | undefined {
  const pattern = source.replace(/\(\?P</g, '(?<');
  let regex: RegExp;
  try {
    regex = boundedRegExp(pattern, caseless ? 'i' : '');
  } catch {
    return undefined;
  }
  return BEYOND_LINEAR.test(pattern) ? { test: (text) => timedTest(regex, text) } : regex;
}

let sandbox: { context: object; script: Script } | undefined;

/** Runs `regex.test(text)` where V8 can stop it: a timed-out run answers false. */
function timedTest(regex: RegExp, text: string): boolean {
  sandbox ??= { context: createContext({}), script: new Script('regex.test(text)') };
  Object.assign(sandbox.context, { regex, text });
  try {
    return sandbox.script.runInContext(sandbox.context, { timeout: MATCH_TIMEOUT_MS }) === true;
  } catch {
    return false;
  }
}
