import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments strictly: an unknown flag or a flag missing its value is a
 * usage error (exit code 2), never silently ignored.
 */
export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(argv: string[], options: Options, command: string): ParsedArgs {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as ParsedArgs;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw usageError(message.replace(/\. To specify a positional argument.*$/s, ''), `see \`ner ${command} --help\``);
  }
}

/** Reads an integer option, with a usage error naming the flag when it is not one. */
export function intOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw usageError(`--${flag} expects an integer, got "${value}"`);
  return Number.parseInt(value, 10);
}

/** Reads a number option, with a usage error naming the flag when it is not one. */
export function numberOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw usageError(`--${flag} expects a number, got "${value}"`);
  return n;
}
