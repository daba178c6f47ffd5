/** The value kept for `owner` in `cache`, made on the first question: one per origin, tree or list, however often asked. */
export function keptFor<K, V>(cache: { get(key: K): V | undefined; set(key: K, value: V): unknown }, owner: K, make: () => V): V {
  let value = cache.get(owner);
  if (value === undefined) cache.set(owner, (value = make()));
  return value;
}
