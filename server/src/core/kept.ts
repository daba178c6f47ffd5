/** The value kept for `owner` in `cache`, made on the first question: one per origin, tree or list, however often asked. */
export function keptFor<K extends object, V>(cache: WeakMap<K, V>, owner: K, make: () => V): V {
  let value = cache.get(owner);
  if (value === undefined) cache.set(owner, (value = make()));
  return value;
}
