/**
 * pm.max_children across the pools of one php-fpm master, which share the machine's memory, and what to set
 * when a pool is resized.
 */
import { fitSpareServers } from './fpm-capacity';
import type { FpmConfiguration, FpmPoolConfig, FpmSetting } from './fpm-load';
import { poolInteger, poolProcessManager } from './fpm-settings';

export interface PoolSize {
  pool: FpmPoolConfig;
  setting: FpmSetting;
  maxChildren: number;
}

/** Each pool with the pm.max_children it sets; undefined when one is unknown or refused, so no total can be made. */
export function poolSizes(configuration: FpmConfiguration): PoolSize[] | undefined {
  const sizes: PoolSize[] = [];
  for (const pool of configuration.pools) {
    const children = poolInteger(pool, 'pm.max_children');
    if (!children?.setting || children.value < 1) return undefined;
    sizes.push({ pool, setting: children.setting, maxChildren: children.value });
  }
  return sizes;
}

/** The options that give `pool` `maxChildren` workers; a dynamic pool's spare servers move inside the new limit. */
export function resizedOptions(pool: FpmPoolConfig, maxChildren: number): [string, string][] {
  const options: [string, string][] = [['pm.max_children', String(maxChildren)]];
  if (poolProcessManager(pool)?.value !== 'dynamic') return options;
  const minSpare = poolInteger(pool, 'pm.min_spare_servers')?.value;
  const maxSpare = poolInteger(pool, 'pm.max_spare_servers')?.value;
  const start = poolInteger(pool, 'pm.start_servers')?.value ?? 0;
  if (minSpare === undefined || maxSpare === undefined) return options;
  const fit = fitSpareServers(maxChildren, { minSpare, maxSpare, start });
  if (fit.minSpare !== minSpare) options.push(['pm.min_spare_servers', String(fit.minSpare)]);
  if (fit.maxSpare !== maxSpare) options.push(['pm.max_spare_servers', String(fit.maxSpare)]);
  if (fit.start !== start) options.push(['pm.start_servers', String(fit.start)]);
  return options;
}
