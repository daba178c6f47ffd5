import { LogFile } from './log-file';
import type { OriginFolder } from './origin-folder';
import { LabProcess } from './processes';

/** Where the lab's PHP-FPM keeps its configs, as Debian lays out /etc/php/8.2/fpm. */
export const FPM_CONF = 'php/fpm/php-fpm.conf';
export const FPM_POOL_DIR = 'php/fpm/pool.d';
export const FPM_ERROR_LOG = 'log/php-fpm.log';

/**
 * php-fpm8.2 in the foreground as root (-R), so pools can switch to www-data; -n leaves the
 * machine's php.ini out, so PHP's built-in defaults apply (max_execution_time 30).
 */
export function phpFpmService(origin: OriginFolder): LabProcess {
  const log = new LogFile(origin.path(FPM_ERROR_LOG));
  let startedAt = 0;
  return new LabProcess({
    name: 'php-fpm',
    command: 'php-fpm8.2',
    args: ['-F', '-R', '-n', '-y', origin.path(FPM_CONF)],
    output: new LogFile(origin.path('log/php-fpm.out')),
    beforeStart: () => {
      startedAt = log.mark();
    },
    ready: () => log.since(startedAt).includes('ready to handle connections'),
  });
}

/** The master config: pid and log in the origin folder, every pool from pool.d. */
export function phpFpmMainConfig(origin: OriginFolder): string {
  return `[global]
pid = ${origin.path('run/php-fpm.pid')}
error_log = ${origin.path(FPM_ERROR_LOG)}
include = ${origin.path(FPM_POOL_DIR)}/*.conf
`;
}
