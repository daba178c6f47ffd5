/** What php-fpm says in its output when it refuses: the messages themselves, without the boilerplate. */

/** The lines that only say that something failed, not what. */
const GENERIC = /failed to (load configuration file|post process the configuration)|FPM initialization failed/;

/** ERROR/ALERT messages without the `[file:line] ` php-fpm puts before load-time ones, and PHP's ini syntax errors. */
export function phpFpmMessages(output: string): string[] {
  return output.split('\n')
    .map((line) => (/(?:ERROR|ALERT): (?:\[[^\]]*:\d+\] )?(.*)$/.exec(line) ?? /PHP: {2}(.*) in Unknown on line \d+/.exec(line))?.[1])
    .filter((m): m is string => m !== undefined && !GENERIC.test(m));
}
