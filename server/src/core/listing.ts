/**
 * How many alternatives one finding names (pools a pass could use, ports nginx listens on): a workspace with
 * thousands of them would otherwise put every one in every message, related list and fix menu, which no one reads
 * and which grows with the square of the workspace.
 */
export const MAX_LISTED = 10;

/**
 * The first `MAX_LISTED` of `items` described and joined with ", ", the rest counted: `a, b and 12 more`. `total`:
 * how many there are, where `items` holds only the first of them.
 */
export function listSome<T>(items: readonly T[], describe: (item: T) => string, total = items.length): string {
  const shown = items.slice(0, MAX_LISTED);
  const named = shown.map(describe).join(', ');
  return total > shown.length ? `${named} and ${total - shown.length} more` : named;
}

/** Syntax errors a parse records; the rest are counted. nginx and cloudflared themselves stop at the first. */
export const MAX_RECORDED_ERRORS = 1000;

/** What a file's last recorded syntax error adds when more followed and were only counted. */
export function moreErrorsAfter(count: number | undefined): string {
  return count ? ` (and ${count} more syntax ${count === 1 ? 'error' : 'errors'} after this one)` : '';
}
