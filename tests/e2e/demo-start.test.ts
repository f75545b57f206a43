// `npm start` on a fresh clone (issue 9 MS4): the browser fallback of scripts/start.mjs (the build
// is the suite's own `npm run build`) on an empty data folder must show the sample cases with the
// demo CNN's predictions in under 5 s from the host's start, and open the first sample case with
// its prediction; a second start finds the cases already there (idempotent seeding).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, artifactsDir, rendererDir } from '../helpers/chromium-app';
import { makeTempDir, reportFigure, repoRoot } from '../helpers/fixtures';

const SAMPLE_CASES = 24;
const temp = makeTempDir('sightline-demo-start-');
let browser: Browser;

/** Starts `npm start`'s script in browser mode; resolves with the URL it prints. */
function startApp(dataDir: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), '--data', dataDir, '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, SIGHTLINE_BROWSER: '1', SIGHTLINE_NO_BUILD: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /running at (http:\/\/\S+)/.exec(stdout);
      if (found) resolve(found[1]);
    });
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before serving: ${stdout}${stderr}`)));
  });
  return { child, url };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`The renderer is not built (${rendererDir}); run npm run build first`);
  mkdirSync(artifactsDir, { recursive: true });
  // The browser stands for the user's own, already running: its start is not the app's.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

afterAll(async () => {
  await browser?.close();
  temp.cleanup();
});

describe('npm start with the demonstration', () => {
  const dataDir = join(temp.dir, 'fresh-data');

  it('shows the sample cases with predictions within 5 s of a fresh start', async () => {
    const started = performance.now();
    const app = startApp(dataDir);
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(await app.url);
      await page.waitForFunction((count) => document.querySelectorAll('[data-testid="case-row-prediction"]').length >= count, SAMPLE_CASES, { timeout: 20_000 });
      await page.locator('[data-testid="prediction-row"]').first().waitFor({ timeout: 20_000 });
      const elapsedMs = performance.now() - started;
      writeFileSync(join(artifactsDir, 'demo-start.png'), await page.screenshot());
      reportFigure('npm start (browser, fresh data folder) to sample cases with predictions, ms', Math.round(elapsedMs));
      expect(elapsedMs).toBeLessThan(5000);

      const rows = await page.locator('[data-testid="case-row"]').count();
      expect(rows).toBe(SAMPLE_CASES);
      const predicted = await page.locator('[data-testid="case-row-prediction"]').allTextContents();
      expect(predicted.every((text) => /^(cyst|benign nodule|malignant mass) \(\d\.\d\d\)$/.test(text.trim()))).toBe(true);
      // the demo CNN is open and labelled as a demonstration; the first sample case is open with its prediction
      expect(await page.locator('[data-testid="model-name"]').textContent()).toContain('Demo CNN');
      expect(await page.locator('[data-testid="demo-disclaimer"]').textContent()).toContain('not for clinical use');
      expect(await page.locator('[data-testid="case-row"].selected').getAttribute('data-pseudonym')).toBe('DEMO-01');
      expect(await page.locator('[data-testid="prediction-row"]').count()).toBe(3);
      await page.close();
    } finally {
      await stop(app.child);
    }
  });

  it('seeds only once: a second start lists the same cases', async () => {
    const app = startApp(dataDir);
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(await app.url);
      await page.waitForFunction(() => document.querySelector('[data-testid="case-row"].selected') !== null, undefined, { timeout: 20_000 });
      expect(await page.locator('[data-testid="case-list-count"]').textContent()).toBe(`${SAMPLE_CASES} of ${SAMPLE_CASES} cases`);
      await page.close();
    } finally {
      await stop(app.child);
    }
  });
});
