// Runs the real `sightline` command (bin/sightline.mjs) as a child process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures';

export const CLI_BIN = join(repoRoot, 'bin', 'sightline.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { cwd: repoRoot, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`sightline ${args.join(' ')} did not run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** --json promises exactly one JSON object on stdout; returns it or throws saying what was there. */
export function singleJson<T = Record<string, unknown>>(stdout: string): T {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1) throw new Error(`expected exactly one line of JSON on stdout, got ${lines.length}:\n${stdout.slice(0, 2000)}`);
  const value = JSON.parse(lines[0]) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`stdout is not a JSON object: ${lines[0].slice(0, 200)}`);
  return value as T;
}
