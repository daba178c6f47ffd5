/**
 * php.ini values a pool sets with `php_value[…]` / `php_admin_value[…]`, read as PHP 8.2 reads them in each
 * worker. php-fpm passes them on without looking, so a wrong one never stops php-fpm: PHP warns in the worker
 * and reads something else.
 */
import { atol } from './fpm-values';

/** Settings PHP reads as a quantity of bytes with an optional `K`, `M` or `G` (zend_ini_parse_quantity). */
const BYTE_QUANTITIES = new Set(['memory_limit', 'post_max_size', 'upload_max_filesize', 'realpath_cache_size']);

/** Settings PHP reads as whole seconds with atol, so `5m` is 5 seconds. */
const SECONDS = new Set(['max_execution_time', 'max_input_time']);

/** Below this a bare byte count is a slip for a size in K, M or G (`memory_limit = 256`). */
const SMALLEST_LIKELY_BYTES = 1024;

/** What PHP makes of `value` for the ini setting `name` when it surprises; undefined when it reads as written. */
export function iniValueSurprise(name: string, value: string): string | undefined {
  const setting = name.toLowerCase();
  if (BYTE_QUANTITIES.has(setting)) return quantitySurprise(setting, value);
  if (SECONDS.has(setting) && !/^\s*-?\d+\s*$/.test(value)) {
    return `PHP reads \`${value}\` as ${atol(value)} seconds: ${setting} is a number of seconds, without unit`;
  }
  return undefined;
}

/**
 * zend_ini_parse_quantity: blanks, a sign, digits (`0x`, `0o`, `0b` or a leading `0` change the base), blanks,
 * one multiplier, blanks. Anything else makes PHP warn "Invalid quantity" and keep what it could read.
 */
function quantitySurprise(setting: string, value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const match = /^\s*[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|\d+)\s*([kKmMgG]?)\s*$/.exec(value);
  if (!match) return `\`${value}\` is not a size PHP reads: it warns "Invalid quantity" and keeps only the leading digits; write e.g. \`256M\``;
  const [, digits, multiplier] = match;
  if (multiplier !== '' || /^\s*-/.test(value)) return undefined;
  const bytes = Number(digits);
  if (bytes > 0 && bytes < SMALLEST_LIKELY_BYTES) {
    return `${setting} = ${value.trim()} means ${bytes} bytes: a size without K, M or G counts bytes; write e.g. \`${bytes}M\``;
  }
  return undefined;
}
