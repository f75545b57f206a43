// End to end in Debian's Chromium (playwright-core, never a downloaded browser) against the local
// host serving the built renderer and the real engine: open the app, load the fixture ResNet-18
// and an image, predict, run occlusion, and check that the overlay canvas holds heatmap pixels.
// Bad inputs must show a clear message in the UI. Screenshots are kept in test-artifacts/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerEngine } from '../../src/core/jobs/worker-engine';
import { startHost, type RunningHost } from '../../src/host/server';
import { waitForHeatmapPixels } from '../helpers/browser';
import { fixture, imagePng, makeTempDir, modelPath, repoRoot } from '../helpers/fixtures';
import { linearModel } from '../helpers/onnx-builder';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const rendererDir = join(repoRoot, 'out', 'renderer');
const artifacts = join(repoRoot, 'test-artifacts');

let engine: WorkerEngine;
let host: RunningHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const temp = makeTempDir('sightline-e2e-');

beforeAll(async () => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`The renderer is not built (${rendererDir}); run npm run build first`);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}; apt-get install -y chromium`);
  mkdirSync(artifacts, { recursive: true });
  // The case panel lists cases on load: keep its database in the test's own folder.
  engine = new WorkerEngine({ transport: 'http', intraOpThreads: 1, dataDir: join(temp.dir, 'data') });
  host = await startHost({ api: engine.api, rendererDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await engine?.close();
  temp.cleanup();
});

async function bannerText(): Promise<string> {
  const banner = page.getByTestId('error-banner');
  await banner.waitFor({ state: 'visible', timeout: 30_000 });
  return (await banner.textContent()) ?? '';
}

/** Counts heatmap pixels (alpha > 0) on the heatmap layer's own canvas. */
async function heatmapPixelCount(): Promise<{ painted: number; total: number; distinctColours: number }> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=viewer] canvas[data-layer=heatmap]');
    if (!canvas) throw new Error('no heatmap layer canvas');
    const context = canvas.getContext('2d')!;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0) {
        painted += 1;
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
    }
    return { painted, total: canvas.width * canvas.height, distinctColours: colours.size };
  });
}

describe('Sightline in Chromium', () => {
  it('shows the empty state and the disclaimer before anything is open', async () => {
    await expect(page.getByTestId('disclaimer').textContent()).resolves.toMatch(/not a diagnosis/i);
    await expect(page.getByTestId('model-empty').textContent()).resolves.toMatch(/\.onnx/);
  });

  it('refuses a text file named .onnx with a clear message', async () => {
    const fake = join(temp.dir, 'notes.onnx');
    writeFileSync(fake, 'this is not a model\n');
    await page.getByTestId('model-file-input').setInputFiles(fake);
    expect(await bannerText()).toMatch(/not an ONNX model/);
  });

  it('loads the fixture ResNet-18 with its card and an image, and shows the top-5', async () => {
    await page.getByTestId('model-file-input').setInputFiles([modelPath('resnet18'), fixture('resnet18', 'model.json')]);
    await page.getByTestId('model-summary').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('model-card-source').textContent()).resolves.toMatch(/sidecar/);
    await page.getByTestId('image-file-input').setInputFiles(imagePng('chelsea'));
    await page.getByTestId('prediction-row').first().waitFor({ timeout: 60_000 });
    const rows = page.getByTestId('prediction-row');
    expect(await rows.count()).toBe(5);
    // The fixture's top-1 for chelsea is class 117 (resnet18/ref/chelsea.logits.npy).
    await expect(rows.first().getAttribute('data-class-index')).resolves.toBe('117');
    await expect(page.getByTestId('prediction-provider').textContent()).resolves.toMatch(/cpu/);
  });

  it('refuses a truncated PNG with a clear message and keeps what was open', async () => {
    const truncated = join(temp.dir, 'truncated.png');
    const { readFileSync } = await import('node:fs');
    writeFileSync(truncated, readFileSync(imagePng('chelsea')).subarray(0, 1000));
    await page.getByTestId('image-file-input').setInputFiles(truncated);
    expect(await bannerText()).toMatch(/corrupt or truncated/);
    expect(await page.getByTestId('prediction-row').count()).toBe(5);
  });

  it('runs occlusion with progress and draws the heatmap over the image', async () => {
    await page.getByTestId('method-select').selectOption('occlusion');
    await page.getByTestId('param-window').fill('3,32,32');
    await page.getByTestId('param-strides').fill('3,16,16');
    await page.getByTestId('run-explain').click();
    await page.getByTestId('explanation-summary').waitFor({ timeout: 120_000 });
    await expect(page.getByTestId('explain-status').textContent()).resolves.toMatch(/Done/);
    await expect(page.getByTestId('explanation-target').textContent()).resolves.toMatch(/117/);
    await expect(page.getByTestId('colorbar-unit').textContent()).resolves.toMatch(/logit/);
    await waitForHeatmapPixels(page);
    const pixels = await heatmapPixelCount();
    // The heatmap covers the fitted image (a large part of the viewer) with many colours.
    expect(pixels.painted / pixels.total).toBeGreaterThan(0.1);
    expect(pixels.distinctColours).toBeGreaterThan(20);
    await page.screenshot({ path: join(artifacts, 'e2e-occlusion.png') });
  });

  it('cancels a long occlusion from the UI', async () => {
    await page.getByTestId('param-window').fill('3,4,4');
    await page.getByTestId('param-strides').fill('3,2,2');
    await page.getByTestId('run-explain').click();
    await page.getByTestId('explain-status').filter({ hasText: /Running/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('cancel-explain').click();
    await page.getByTestId('explain-status').filter({ hasText: /Cancelled/ }).waitFor({ timeout: 5_000 });
    await expect(page.getByTestId('error-banner').count()).resolves.toBe(0);
    // The engine is free again: a new model opens promptly after the cancel.
    const started = Date.now();
    await page.getByTestId('model-file-input').setInputFiles([modelPath('squeezenet1_1'), fixture('squeezenet1_1', 'model.json')]);
    await page.getByTestId('model-name').filter({ hasText: /squeezenet/ }).waitFor({ timeout: 30_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses an RGB photo for a 1×1×28×28 model, naming both shapes and the card key', async () => {
    const tiny = linearModel({ dims: [1, 28, 28], classes: 10, seed: 7 });
    const path = join(temp.dir, 'digits.onnx');
    writeFileSync(path, tiny.bytes);
    await page.getByTestId('model-file-input').setInputFiles(path);
    await page.getByTestId('model-name').filter({ hasText: /digits/ }).waitFor({ timeout: 30_000 });
    const message = await bannerText();
    expect(message).toMatch(/1 channel/);
    expect(message).toMatch(/28/);
    expect(message).toMatch(/colorToGray/);
    await page.screenshot({ path: join(artifacts, 'e2e-bad-input.png') });
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
