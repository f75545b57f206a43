// `npm run bench [-- NAME …]`: runs every bench/<name>.bench.ts (or the named ones) one after the
// other. A bench file exports `run(args)`; it prints its own table. Arguments after `--` go to it.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(args: string[]): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const separator = process.argv.indexOf('--');
const names = (separator < 0 ? process.argv.slice(2) : process.argv.slice(2, separator)).filter((a) => !a.startsWith('-'));
const passOn = separator < 0 ? process.argv.slice(2).filter((a) => a.startsWith('-')) : process.argv.slice(separator + 1);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => names.length === 0 || names.includes(f.slice(0, -'.bench.ts'.length)))
  .sort();
if (files.length === 0) {
  console.error(`No bench matches ${names.join(', ')}; available: ${readdirSync(here).filter((f) => f.endsWith('.bench.ts')).join(', ')}`);
  process.exit(2);
}
for (const file of files) {
  console.log(`\n== ${file} ==`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  await mod.run(passOn);
}
