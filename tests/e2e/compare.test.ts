// Must show 3 in Chromium against the host: every gradient, CAM and attention method is in the method
// list with its parameters and their defaults shown; results sit side by side in 2–4 panes (a run
// fills the active pane, "top classes" fills them all) with one linked zoom and pan; each pane's
// colour bar states the raw result's range, the display steps and the colour normalisation.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, startChromiumApp, type ChromiumApp } from '../helpers/chromium-app';
import { fixture, imagePng, makeTempDir, modelPath } from '../helpers/fixtures';

const METHODS = [
  'gradient', 'saliency', 'input-x-gradient', 'integrated-gradients', 'smoothgrad', 'guided-backprop', 'deconvolution',
  'grad-cam', 'grad-cam-plus-plus', 'hires-cam', 'xgrad-cam', 'layer-cam', 'score-cam', 'guided-grad-cam',
  'attention', 'attention-rollout', 'attention-gradient-rollout',
];

const temp = makeTempDir('sightline-e2e-compare-');
let app: ChromiumApp;
let page: Page;

beforeAll(async () => {
  app = await startChromiumApp({ dataDir: join(temp.dir, 'data') });
  page = app.page;
});
afterAll(async () => {
  await app?.close();
  temp.cleanup();
});

const pane = (index: number) => page.getByTestId('compare-pane').nth(index);

/** Painted (alpha > 0) pixels on a pane's heatmap layer canvas. */
async function paintedPixels(target: Locator): Promise<number> {
  return target.locator('canvas[data-layer=heatmap]').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  });
}

async function runInActivePane(method: string, params: Record<string, string> = {}): Promise<void> {
  await page.getByTestId('method-select').selectOption(method);
  for (const [name, value] of Object.entries(params)) await page.getByTestId(`param-${name}`).fill(value);
  await page.getByTestId('run-explain').click();
  await page.getByTestId('explain-status').filter({ hasText: /Done/ }).waitFor({ timeout: 120_000 });
}

describe('compare panes in Chromium', () => {
  it('lists every method of issue 4, each with its parameters and their defaults', async () => {
    await page.getByTestId('model-file-input').setInputFiles([modelPath('squeezenet1_1'), fixture('squeezenet1_1', 'model.json')]);
    await page.getByTestId('model-summary').waitFor({ timeout: 60_000 });
    await page.getByTestId('image-file-input').setInputFiles(imagePng('chelsea'));
    await page.getByTestId('prediction-row').first().waitFor({ timeout: 60_000 });
    const options = await page.getByTestId('method-select').locator('option').evaluateAll((list) => list.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(expect.arrayContaining(METHODS));
    // the generic form shows each parameter with its default
    await page.getByTestId('method-select').selectOption('integrated-gradients');
    await expect(page.getByTestId('param-steps').inputValue()).resolves.toBe('50');
    await expect(page.getByTestId('param-rule').inputValue()).resolves.toBe('gauss-legendre');
    await expect(page.getByTestId('param-form').textContent()).resolves.toMatch(/default\s*gauss-legendre/);
    await page.getByTestId('method-select').selectOption('smoothgrad');
    await expect(page.getByTestId('param-variant').inputValue()).resolves.toBe('smoothgrad');
    await expect(page.getByTestId('param-stdev').inputValue()).resolves.toBe('0.15');
    await page.getByTestId('method-select').selectOption('attention-rollout');
    await expect(page.getByTestId('param-discardRatio').inputValue()).resolves.toBe('0.9');
    await page.getByTestId('method-select').selectOption('grad-cam');
    await expect(page.getByTestId('param-normalise').inputValue()).resolves.toBe('min-max');
  });

  it('three panes: Grad-CAM, saliency and integrated gradients side by side, each with its colour bar', async () => {
    await page.getByTestId('pane-count').selectOption('3');
    await expect(page.getByTestId('compare-pane').count()).resolves.toBe(3);
    await runInActivePane('grad-cam');
    await runInActivePane('saliency');
    await runInActivePane('integrated-gradients', { steps: '8' });
    for (const [index, method] of ['grad-cam', 'saliency', 'integrated-gradients'].entries()) {
      await expect(pane(index).getAttribute('data-method')).resolves.toBe(method);
      await expect.poll(() => paintedPixels(pane(index)), { timeout: 30_000 }).toBeGreaterThan(1000);
    }
    // side by side: the first two panes share a row
    const [a, b] = [await pane(0).boundingBox(), await pane(1).boundingBox()];
    expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
    expect(b!.x).toBeGreaterThan(a!.x + a!.width - 4);
    // Grad-CAM's bar: the raw signed layer map's range, then pytorch-grad-cam's display steps
    const camBar = pane(0).getByTestId('colorbar');
    await expect(camBar.getByTestId('colorbar-raw-range').textContent()).resolves.toMatch(/raw range -?\d.* … -?\d/);
    await expect(camBar.getByTestId('colorbar-normalisation').textContent()).resolves.toMatch(/ReLU → min–max .* → bilinear → 224×224 → ReLU → min–max/);
    await expect(camBar.getByTestId('colorbar-normalisation').textContent()).resolves.toMatch(/linear min–max/);
    // saliency: unsigned, summed over channels; IG: signed, symmetric colour range
    await expect(pane(1).getByTestId('colorbar-normalisation').textContent()).resolves.toMatch(/sum over channels/);
    await expect(pane(2).getByTestId('colorbar-normalisation').textContent()).resolves.toMatch(/symmetric ±L/);
    await page.screenshot({ path: join(artifactsDir, 'e2e-compare-3-panes.png') });
  });

  it('zoom and pan are linked: a wheel zoom in one pane moves them all alike', async () => {
    const views = () => page.getByTestId('compare-pane').evaluateAll((panes) => panes.map((p) => p.querySelector('[data-testid=viewer]')!.getAttribute('data-view')));
    const before = await views();
    const box = (await pane(1).getByTestId('viewer').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await views())[1], { timeout: 5_000 }).not.toBe(before[1]);
    const zoomed = await views();
    expect(new Set(zoomed).size).toBe(1);
    // pan by dragging in the third pane
    const third = (await pane(2).getByTestId('viewer').boundingBox())!;
    await page.mouse.move(third.x + 60, third.y + 60);
    await page.mouse.down();
    await page.mouse.move(third.x + 120, third.y + 90, { steps: 5 });
    await page.mouse.up();
    const panned = await views();
    expect(panned[2]).not.toBe(zoomed[2]);
    expect(new Set(panned).size).toBe(1);
  });

  it('“top classes” fills every pane with the current method, one class per pane', async () => {
    await page.getByTestId('pane-count').selectOption('2');
    await page.getByTestId('method-select').selectOption('grad-cam');
    await page.getByTestId('top-classes').click();
    const top = await page.getByTestId('prediction-row').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.getAttribute('data-class-index')));
    for (const index of [0, 1]) {
      await expect.poll(() => pane(index).getByTestId('pane-title').textContent().catch(() => ''), { timeout: 60_000 }).toMatch(new RegExp(`Grad-CAM · .*${top[index]}`));
    }
  });

  it('raised no uncaught errors in the page', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
