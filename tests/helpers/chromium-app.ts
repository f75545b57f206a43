// Starts the app for an end-to-end test: the real engine in its worker, the host serving the built
// renderer, Debian's Chromium through playwright-core (never a downloaded browser), one page.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WorkerEngine, type WorkerEngineOptions } from '../../src/core/jobs/worker-engine';
import { startHost, type RunningHost } from '../../src/host/server';
import { repoRoot } from './fixtures';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const rendererDir = join(repoRoot, 'out', 'renderer');
export const artifactsDir = join(repoRoot, 'test-artifacts');

export interface ChromiumApp {
  page: Page;
  /** uncaught errors the page raised */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function startChromiumApp(engineOptions: Partial<WorkerEngineOptions> = {}): Promise<ChromiumApp> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`The renderer is not built (${rendererDir}); run npm run build first`);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}; apt-get install -y chromium`);
  mkdirSync(artifactsDir, { recursive: true });
  const engine = new WorkerEngine({ transport: 'http', intraOpThreads: 1, ...engineOptions });
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  try {
    host = await startHost({ api: engine.api, rendererDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(host.url);
    const [openBrowser, openHost] = [browser, host];
    return {
      page,
      pageErrors,
      async close() {
        await openBrowser.close();
        await openHost.close();
        await engine.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await host?.close();
    await engine.close();
    throw error;
  }
}
