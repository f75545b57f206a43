// What every `sightline` subcommand shares: its declaration (options, usage), the parsed
// arguments, the api on the in-process engine, cancellation on Ctrl+C, and the exit-code rules.
// Exit codes: 0 success, 1 bad input (file, model, parameters), 2 usage, 3 internal error.
import { writeFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { ApiError, type SightlineApi } from '../api/contract';
import type { ParamValue, Progress } from '../api/schemas';

export class UsageError extends Error {}

export const EXIT = { ok: 0, badInput: 1, usage: 2, internal: 3 } as const;

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliContext {
  command: string;
  values: OptionValues;
  /** positional words after the command (e.g. `cases show ID`) */
  positionals: string[];
  api: SightlineApi;
  signal: AbortSignal;
  json: boolean;
  /** the value of a required string option, or a usage error naming it */
  need(name: string): string;
  /** progress lines on stderr (never on stdout) */
  progress(progress: Progress): void;
}

export interface Command {
  name: string;
  usage: string;
  options: OptionSpec;
  /** allow positional words after the command */
  positionals?: boolean;
  run(ctx: CliContext): Promise<number>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: OptionSpec = {
  json: { type: 'boolean', default: false },
  provider: { type: 'string' },
  quiet: { type: 'boolean', default: false },
};

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  return ApiError.from(error).code === 'INTERNAL' ? EXIT.internal : EXIT.badInput;
}

/** `--set key=value` pairs → parameters (values stay strings; each method coerces its own). */
export function parseSets(sets: unknown): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const item of (sets as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes key=value, got "${item}"`);
    params[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return params;
}

/** A `--target` class index (a non-negative integer), or undefined when absent; `accepted` names what the option takes in the usage error. */
export function parseClassIndex(value: unknown, accepted = 'a class index'): number | undefined {
  if (value === undefined) return undefined;
  const target = Number(value);
  if (!(Number.isInteger(target) && target >= 0)) throw new UsageError(`--target must be ${accepted} (got ${String(value)})`);
  return target;
}

export function progressReporter(enabled: boolean): (progress: Progress) => void {
  let lastPercent = -1;
  return (progress) => {
    if (!enabled) return;
    const percent = progress.total ? Math.floor((100 * progress.done) / progress.total) : 0;
    if (percent === lastPercent || (percent % 10 !== 0 && !process.stderr.isTTY)) return;
    lastPercent = percent;
    const line = `${progress.done}/${progress.total}${progress.message ? ` ${progress.message}` : ''} (${percent}%)`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${progress.done >= progress.total ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}

/** Writes an output file; a full disk or an unwritable path is bad input with a clear message. */
export async function writeOutput(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new ApiError('BAD_INPUT', `The disk is full: ${path} could not be written`);
    if (code) throw new ApiError('BAD_INPUT', `Cannot write ${path}: ${code}`);
    throw error;
  }
}
