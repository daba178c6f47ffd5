/**
 * "Did you mean …?" for misspelt names. Distance is optimal string alignment (Levenshtein plus swapping two
 * neighbouring characters, the most common typo), compared case-insensitively.
 */

/** How far a word may be from a candidate by default: one edit for short words, up to three for long ones. */
function defaultMaxDistance(word: string): number {
  if (word.length <= 4) return 1;
  if (word.length <= 9) return 2;
  return 3;
}

/**
 * The candidates within `maxDistance` edits of `word`, nearest first (ties in the order given).
 * A candidate identical to the word is left out; one that differs only in case comes first.
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance = defaultMaxDistance(word)): string[] {
  const lowerWord = word.toLowerCase();
  const near: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const lowerCandidate = candidate.toLowerCase();
    if (candidate === word) continue;
    if (Math.abs(lowerCandidate.length - lowerWord.length) > maxDistance) continue;
    const distance = editDistance(lowerWord, lowerCandidate, maxDistance);
    if (distance <= maxDistance) near.push({ candidate, distance });
  }
  // Array.prototype.sort is stable, so equal distances keep the caller's order.
  return near.sort((a, b) => a.distance - b.distance).map((n) => n.candidate);
}

/** Rows of `editDistance`, kept between calls: it runs for every candidate of every misspelt name or missing socket. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Optimal string alignment distance; `limit + 1` for any distance above `limit`, found early once every path exceeds it. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  // A common start and end cost nothing and change no alignment: only what lies between is compared.
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let aEnd = a.length;
  let bEnd = b.length;
  while (aEnd > start && bEnd > start && a.charCodeAt(aEnd - 1) === b.charCodeAt(bEnd - 1)) {
    aEnd--;
    bEnd--;
  }
  const n = bEnd - start;
  if (rows[0].length <= n) rows = rows.map(() => new Int32Array(2 * (n + 1)));
  let [beforePrevious, previous, current] = rows;
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= aEnd - start; i++) {
    const ai = a.charCodeAt(start + i - 1);
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(start + j - 1);
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(start + j - 2) && a.charCodeAt(start + i - 2) === bj) {
        best = Math.min(best, beforePrevious[j - 2] + 1);
      }
      current[j] = best;
      if (best < rowMinimum) rowMinimum = best;
    }
    if (rowMinimum > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return Math.min(previous[n], limit + 1);
}

/** The candidates nearest to `word`, several only when equally near (at most `limit`): safe "did you mean"s. */
export function nearest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const near = closest(word, candidates);
  if (near.length === 0) return [];
  const distance = (candidate: string) => editDistance(word.toLowerCase(), candidate.toLowerCase());
  const best = distance(near[0]);
  return near.filter((c) => distance(c) === best).slice(0, limit);
}

/**
 * `nearest` for the many names one analysis asks about, against one list of candidates: each name is weighed once,
 * and only the first `MAX_NAMES_WEIGHED`. Each weighing goes through every candidate, and a file of tens of thousands
 * of unknown names (one that is not a config at all) would otherwise take seconds on every keystroke, for problems
 * past the thousand an editor lists for a file. The later names get no suggestion.
 */
export class NearestNames {
  private readonly found = new Map<string, string[]>();

  /** `candidates`: asked for each weighing (it may be a fresh iterator each time). */
  constructor(private readonly candidates: () => Iterable<string>) {}

  of(word: string): string[] {
    let near = this.found.get(word);
    if (!near) this.found.set(word, (near = this.found.size < MAX_NAMES_WEIGHED ? nearest(word, this.candidates()) : []));
    return near;
  }
}

const MAX_NAMES_WEIGHED = 1000;
