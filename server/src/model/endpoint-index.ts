import type { Endpoint } from './targets';

/**
 * Items found by the endpoints they listen on or connect to, filed under `listenerKeys` or `targetKey` (targets.ts)
 * and looked up by the other: which of thousands of pools a pass reaches, or which passes reach a pool, without
 * trying every pair.
 */
export class EndpointIndex<T> {
  private readonly byKey = new Map<string, T[]>();
  private readonly positions = new Map<T, number>();

  constructor(items: readonly T[], endpointsOf: (item: T) => Array<Endpoint | undefined>, keysOf: (endpoint: Endpoint) => string[]) {
    items.forEach((item, position) => {
      this.positions.set(item, position);
      const keys = new Set(endpointsOf(item).flatMap((endpoint) => (endpoint ? keysOf(endpoint) : [])));
      for (const key of keys) {
        const filed = this.byKey.get(key);
        if (filed) filed.push(item);
        else this.byKey.set(key, [item]);
      }
    });
  }

  /** The items filed under any of `keys`, each once and in the order they were given: candidates, for `endpointsMeet` to judge. */
  candidates(keys: readonly string[]): readonly T[] {
    if (keys.length === 1) return this.byKey.get(keys[0]) ?? [];
    const found = new Set(keys.flatMap((key) => this.byKey.get(key) ?? []));
    return [...found].sort((a, b) => (this.positions.get(a) as number) - (this.positions.get(b) as number));
  }
}
