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

/** Optimal string alignment distance; stops early (returning `limit + 1`) once every path exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2] + 1);
      }
      current.push(best);
      rowMinimum = Math.min(rowMinimum, best);
    }
    if (rowMinimum > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/** The candidates nearest to `word`, several only when equally near (at most `limit`): safe "did you mean"s. */
export function nearest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const near = closest(word, candidates);
  if (near.length === 0) return [];
  const distance = (candidate: string) => editDistance(word.toLowerCase(), candidate.toLowerCase());
  const best = distance(near[0]);
  return near.filter((c) => distance(c) === best).slice(0, limit);
}
