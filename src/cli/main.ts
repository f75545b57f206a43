// `sightline`: the api from a terminal, on the same engine as the app. One file per command in
// commands/; this file parses the arguments, runs the command and maps errors to exit codes.
// With --json, stdout holds exactly one JSON object; logs and progress go to stderr.
import { parseArgs } from 'node:util';
import { ApiError, validated } from '../api/contract';
import { APP_VERSION } from '../api/version';
import { Engine } from '../core/engine';
import { COMMON_OPTIONS, EXIT, UsageError, exitCodeOf, progressReporter, type Command, type OptionValues } from './command';
import { casesCommand } from './commands/cases';
import { decodeCommand } from './commands/decode';
import { dicomExportCommand } from './commands/dicom-export';
import { dicomTagsCommand } from './commands/dicom-tags';
import { explainCommand } from './commands/explain';
import { methodsCommand } from './commands/methods';
import { predictCommand } from './commands/predict';
import { probeCommand } from './commands/probe';
import { reportCommand } from './commands/report';

const COMMANDS: Command[] = [predictCommand, explainCommand, probeCommand, methodsCommand, casesCommand, reportCommand, decodeCommand, dicomTagsCommand, dicomExportCommand];

const USAGE = `Usage:
${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}
  sightline --version

Exit codes: 0 success, 1 bad input, 2 usage, 3 internal error. --json prints one JSON object on stdout.
Example:
  sightline explain --model resnet18.onnx --input cat.png --method occlusion --target 281 \\
    --set window=3,16,16 --set strides=3,8,8 --set baseline=0 --out occlusion.npy`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    console.log(APP_VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`Unknown command "${name}"`);
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, strict: true, allowPositionals: command.positionals ?? false, options: { ...COMMON_OPTIONS, ...command.options } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n  ${command.usage}`);
  }
  // --data names the case database's folder (cases commands); otherwise SIGHTLINE_DATA_DIR or the platform default.
  const dataDir = typeof parsed.values.data === 'string' ? parsed.values.data : undefined;
  const engine = new Engine({ transport: 'cli', intraOpThreads: Number(process.env.SIGHTLINE_THREADS ?? 0) || 0, dataDir });
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nCancelling…\n');
    controller.abort();
  });
  try {
    return await command.run({
      command: name,
      values: parsed.values,
      positionals: parsed.positionals,
      api: validated(engine),
      signal: controller.signal,
      json: parsed.values.json === true,
      need(option) {
        const value = parsed.values[option];
        if (typeof value !== 'string' || !value) throw new UsageError(`${name} needs --${option}\n  ${command.usage}`);
        return value;
      },
      progress: progressReporter(parsed.values.quiet !== true),
    });
  } finally {
    await engine.dispose();
  }
}

// A reader that stops early (`sightline dicom-tags … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (process.argv.includes('--json')) {
      const body = error instanceof UsageError ? { code: 'USAGE', message: error.message } : ApiError.from(error).toJSON();
      console.log(JSON.stringify({ error: body }));
    }
    console.error(`sightline: ${error instanceof UsageError || error instanceof ApiError ? error.message : ApiError.from(error).message}`);
    if (error instanceof UsageError && !error.message.includes('\n')) console.error(`\n${USAGE}`);
    process.exitCode = exitCodeOf(error);
  },
);
