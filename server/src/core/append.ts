/**
 * Adds `items` to the end of `target`, in order. Not `target.push(...items)`: spreading passes each item as an
 * argument on the call stack, and a list of a few hundred thousand (the syntax errors of a damaged file, the
 * children of a huge block) overflows it.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}
