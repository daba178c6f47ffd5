/**
 * An nginx (PCRE) regex as a JavaScript one: the common syntax is the same, and Python-style named groups
 * `(?P<name>…)` become `(?<name>…)`. Undefined when JavaScript cannot read it: what uses it then never matches.
 */
export function pcreToRegExp(source: string, caseless: boolean): RegExp | undefined {
  try {
    return new RegExp(source.replace(/\(\?P</g, '(?<'), caseless ? 'i' : '');
  } catch {
    return undefined;
  }
}
