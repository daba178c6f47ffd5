import { UsageError } from './lint';

/**
 * Walks a command line the way every command reads it: `--name value` and `--name=value` options, bare flags,
 * and positional arguments (`-` alone is positional: standard input). `option` throws for names it does not know.
 */
export function walkArgs(args: readonly string[], option: (flag: string, value: () => string) => void, positional: (arg: string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-') {
      positional(arg);
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    option(flag, () => {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      return value;
    });
  }
}

/** A `--format` value, checked against the formats the command prints. */
export function formatOption<F extends string>(value: string, formats: readonly F[]): F {
  if (!formats.includes(value as F)) throw new UsageError(`unknown format "${value}" (${formats.join(', ')})`);
  return value as F;
}

export function unknownOption(flag: string): never {
  throw new UsageError(`unknown option "${flag}"`);
}
