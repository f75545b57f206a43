// `npm start`: build, then open the Electron app; where the Electron binary is absent (it is
// fetched on first start and that can fail offline), say so in one line and serve the same UI
// in the browser through the local host.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const passThrough = process.argv.slice(2);

// SIGHTLINE_NO_BUILD=1 starts what is already built (the end-to-end test, after `npm run build`).
if (!process.env.SIGHTLINE_NO_BUILD) {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    console.error('Sightline could not be built (see above).');
    process.exit(1);
  }
}

/** The Electron binary, fetched quietly on first start (electron 45 downloads it then); null if absent. */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const located = () => {
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  };
  if (!existsSync(join(dir, 'install.js'))) return null;
  const found = located();
  if (found) return found;
  spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  return located();
}

const electron = process.env.SIGHTLINE_BROWSER ? null : electronBinary();
if (electron) {
  const child = spawn(electron, [root, ...passThrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/host/main.ts'), '--reason', 'Electron is not available here', '--built-worker', ...passThrough], {
    cwd: root,
    stdio: 'inherit',
  });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
