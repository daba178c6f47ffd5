import type { Finding, Fix } from '../core/findings';
import type { Cause } from './causes';
import type { ConfigPlace } from './responsible';

/**
 * The config rules' own findings on the lines a cause blames: their messages say what is wrong with the
 * line, and their quick fixes are the ones the log diagnostic offers too.
 */
export function findingsOnPlaces(cause: Cause, places: readonly ConfigPlace[], findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => cause.rules.includes(finding.rule) && places.some((place) =>
    place.file === finding.file &&
    finding.range.start.line >= place.range.start.line &&
    finding.range.start.line <= place.range.end.line));
}

/** Each fix once, though several findings on the same line may offer it. */
export function distinctFixes(findings: readonly Finding[]): Fix[] {
  const seen = new Set<string>();
  return findings.flatMap((finding) => finding.fixes ?? []).filter((fix) => {
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
