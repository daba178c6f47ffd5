/**
 * What php-fpm ends up with for a pool option: the last setting, decoded as php-fpm decodes it; php-fpm's own
 * default when no file sets it and the configuration is complete; unknown (undefined) otherwise: the value is
 * refused (php-fpm/invalid-value says so), computed at load time (`${VAR}`, a constant, an expression), or may
 * come from a file outside the workspace.
 */
import { expandPool } from '../parsers/phpfpm/parser';
import type { FpmConfiguration, FpmPoolConfig, FpmSetting } from './fpm-load';
import { decodeEventMechanism, decodeInteger, decodeProcessManager, decodeTime, type Decoded, type ProcessManager } from './fpm-values';

export interface Resolved<T> {
  value: T;
  /** The entry the value comes from; absent when it is php-fpm's default. */
  setting?: FpmSetting;
}

/** What fpm_worker_pool_config_alloc() sets before any file is read; every other number starts at 0. */
const POOL_DEFAULTS: Record<string, number> = {
  'pm.max_spawn_rate': 32,
  'pm.process_idle_timeout': 10,
  'listen.backlog': -1,
};

function resolve<T>(pool: FpmPoolConfig, key: string, decode: (value: string) => Decoded<T>, fallback: T): Resolved<T> | undefined {
  const setting = pool.scalar(key);
  if (!setting) return pool.configuration.complete ? { value: fallback } : undefined;
  if (setting.entry.computed) return undefined;
  const decoded = decode(setting.entry.value);
  return decoded.ok ? { value: decoded.value, setting } : undefined;
}

export function poolInteger(pool: FpmPoolConfig, key: string): Resolved<number> | undefined {
  return resolve(pool, key, decodeInteger, POOL_DEFAULTS[key] ?? 0);
}

/** A time option in seconds. */
export function poolSeconds(pool: FpmPoolConfig, key: string): Resolved<number> | undefined {
  return resolve(pool, key, decodeTime, POOL_DEFAULTS[key] ?? 0);
}

/** `pm`; php-fpm has no default, so a complete configuration without it resolves to null. */
export function poolProcessManager(pool: FpmPoolConfig): Resolved<ProcessManager | null> | undefined {
  return resolve<ProcessManager | null>(pool, 'pm', decodeProcessManager, null);
}

/** A string option with `$pool` expanded; null when a complete configuration leaves it unset. */
export function poolString(pool: FpmPoolConfig, key: string): Resolved<string | null> | undefined {
  return resolve<string | null>(pool, key, (value) => ({ ok: true, value: expandPool(value, pool.name) }), null);
}

/** The `[global]` option php-fpm keeps (the last one), when the configuration shows it. */
export function globalSetting(configuration: FpmConfiguration, key: string): FpmSetting | undefined {
  let found: FpmSetting | undefined;
  for (const setting of configuration.globals) if (!setting.entry.arrayKey && setting.entry.key.toLowerCase() === key) found = setting;
  return found;
}

/** The event mechanism a configuration selects; php-fpm picks epoll on Linux when none is set. */
export function eventMechanism(configuration: FpmConfiguration): Resolved<string> | undefined {
  const setting = globalSetting(configuration, 'events.mechanism');
  if (!setting) return configuration.complete ? { value: 'epoll' } : undefined;
  const decoded = decodeEventMechanism(setting.entry.value);
  return decoded.ok && !setting.entry.computed ? { value: decoded.value, setting } : undefined;
}
