// End to end in Debian's Chromium against the host (issue 7, Must show 4): open a DICOM, change the
// window with a preset and by dragging (the model's input does not change), run occlusion with coarse
// windows, and check that the heatmap's cells line up with the image's pixel grid; then the metadata
// search and the frame slider of a multi-frame file; the probe brush on the DICOM, whose answer the
// viewer's window does not change (the card fixes what the model sees). Screenshots go to test-artifacts/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForHeatmapPixels } from '../helpers/browser';
import { artifactsDir as artifacts, startChromiumApp, type ChromiumApp } from '../helpers/chromium-app';
import { dicomFile } from '../helpers/dicom-fixtures';
import { makeTempDir } from '../helpers/fixtures';
import { screenPoint, strokeAndWait } from '../helpers/probe-ui';
import { linearModel } from '../helpers/onnx-builder';

/** MR_small is 64 × 64; occlusion windows of 16 × 16 make a 4 × 4 grid of heatmap cells. */
const SIDE = 64;
const CELL = 16;

let app: ChromiumApp;
let page: Page;
const temp = makeTempDir('sightline-e2e-dicom-');

beforeAll(async () => {
  app = await startChromiumApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  temp.cleanup();
});

/** A checksum of the image layer's pixels: changes when the window changes what is drawn. */
function imageLayerSum(): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=viewer] canvas[data-layer=image]');
    if (!canvas) throw new Error('no image layer canvas');
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += data[i] * ((i / 4) % 251);
    return sum;
  });
}

async function windowReadout(): Promise<{ center: number; width: number }> {
  const readout = page.getByTestId('dicom-wl');
  return { center: Number(await readout.getAttribute('data-center')), width: Number(await readout.getAttribute('data-width')) };
}

describe('DICOM in Chromium', () => {
  it('opens a model whose card fixes the DICOM window, and a DICOM image', async () => {
    const model = linearModel({ dims: [1, SIDE, SIDE], classes: 2, seed: 5 });
    writeFileSync(join(temp.dir, 'mr.onnx'), model.bytes);
    const card = { name: 'mr-linear', labels: ['left', 'right'], input: { scale: 1 / 255, mean: [0], std: [1] }, dicom: { input: 'window', window: { center: 600, width: 1600 } } };
    writeFileSync(join(temp.dir, 'mr.json'), JSON.stringify(card));
    await page.getByTestId('model-file-input').setInputFiles([join(temp.dir, 'mr.onnx'), join(temp.dir, 'mr.json')]);
    await page.getByTestId('model-name').filter({ hasText: /mr-linear/ }).waitFor({ timeout: 60_000 });
    await page.getByTestId('image-file-input').setInputFiles(dicomFile('MR_small'));
    await page.getByTestId('dicom-panel').waitFor({ timeout: 60_000 });
    await page.getByTestId('prediction-row').first().waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('dicom-preset').inputValue()).resolves.toBe('file-window-0');
    expect(await windowReadout()).toEqual({ center: 600, width: 1600 });
  });

  it('changes the window with a preset and by dragging; the prediction (the model input) stays', async () => {
    const scoreBefore = await page.getByTestId('prediction-row').first().textContent();
    const before = await imageLayerSum();
    await page.getByTestId('dicom-preset').selectOption('ct-soft-tissue');
    await expect.poll(() => windowReadout()).toEqual({ center: 40, width: 400 });
    await expect.poll(() => imageLayerSum()).not.toBe(before);
    const afterPreset = await imageLayerSum();

    const box = (await page.getByTestId('viewer').boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 25, y + 10, { steps: 5 });
    await page.mouse.move(x + 50, y + 20, { steps: 5 });
    await page.mouse.up();
    // Cornerstone's convention: Δx·4 → width, Δy·4 → centre.
    await expect.poll(() => windowReadout()).toEqual({ center: 40 + 20 * 4, width: 400 + 50 * 4 });
    await expect.poll(() => imageLayerSum()).not.toBe(afterPreset);
    await expect(page.getByTestId('dicom-preset').inputValue()).resolves.toBe('custom');
    expect(await page.getByTestId('prediction-row').first().textContent()).toBe(scoreBefore);
    await page.screenshot({ path: join(artifacts, 'e2e-dicom-window.png') });
  });

  it('runs occlusion with coarse windows; the heatmap cells fall on the pixel grid of the image', async () => {
    await page.getByTestId('method-select').selectOption('occlusion');
    await page.getByTestId('param-window').fill(`1,${CELL},${CELL}`);
    await page.getByTestId('param-strides').fill(`1,${CELL},${CELL}`);
    await page.getByTestId('run-explain').click();
    await page.getByTestId('explanation-summary').waitFor({ timeout: 120_000 });
    await waitForHeatmapPixels(page);
    const grid = await page.evaluate(() => {
      const viewer = document.querySelector<HTMLElement>('[data-testid=viewer]')!;
      const [vx, vy, scale] = viewer.dataset.view!.split(',').map(Number);
      const canvas = viewer.querySelector<HTMLCanvasElement>('canvas[data-layer=heatmap]')!;
      const ratio = canvas.width / viewer.clientWidth; // device pixels per CSS pixel
      const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const colour = (x: number, y: number) => data.slice((y * width + x) * 4, (y * width + x) * 4 + 4).join(',');
      // Painted extent and the colour changes along a row and a column through the image's middle.
      let minX = width, maxX = -1, minY = height, maxY = -1;
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (data[(y * width + x) * 4 + 3] > 0) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
      const midY = Math.round((minY + maxY) / 2);
      const midX = Math.round((minX + maxX) / 2);
      const edgesX: number[] = [];
      for (let x = minX + 1; x <= maxX; x++) if (colour(x, midY) !== colour(x - 1, midY)) edgesX.push(x / ratio);
      const edgesY: number[] = [];
      for (let y = minY + 1; y <= maxY; y++) if (colour(midX, y) !== colour(midX, y - 1)) edgesY.push(y / ratio);
      return { vx, vy, scale, painted: [minX / ratio, minY / ratio, (maxX + 1) / ratio, (maxY + 1) / ratio], edgesX, edgesY };
    });
    const { vx, vy, scale } = grid;
    const side = 64 * scale;
    // The heatmap covers the image exactly…
    grid.painted.forEach((v, i) => expect(Math.abs(v - [vx, vy, vx + side, vy + side][i])).toBeLessThanOrEqual(1.5));
    // …and its cells change colour only at multiples of 16 image pixels.
    const expectedX = [1, 2, 3].map((k) => vx + k * 16 * scale);
    const expectedY = [1, 2, 3].map((k) => vy + k * 16 * scale);
    expect(grid.edgesX.length).toBe(3);
    expect(grid.edgesY.length).toBe(3);
    grid.edgesX.forEach((e, i) => expect(Math.abs(e - expectedX[i])).toBeLessThanOrEqual(1.5));
    grid.edgesY.forEach((e, i) => expect(Math.abs(e - expectedY[i])).toBeLessThanOrEqual(1.5));
    await page.screenshot({ path: join(artifacts, 'e2e-dicom-occlusion.png') });
  });

  it('probes the DICOM: the brush paints model pixels, and the viewer\'s window does not change the answer', async () => {
    await page.getByTestId('probe-paint').click();
    await page.getByTestId('probe-radius').fill('10');
    const painted = await strokeAndWait(page, [16, 32], [48, 32]);
    const scale = (await screenPoint(page, [0, 0])).scale;
    const radius = 10 / scale; // image pixels = model pixels here (64 × 64 both)
    expect(Math.abs(painted.masked - (32 * 2 * radius + Math.PI * radius * radius)) / painted.masked).toBeLessThan(0.15);
    expect(painted.delta).not.toBe(0);
    // Stop probing, drag the window: what is drawn changes, what the model is asked does not.
    await page.keyboard.press('Escape');
    const before = await windowReadout();
    const viewer = (await page.getByTestId('viewer').boundingBox())!;
    await page.mouse.move(viewer.x + viewer.width / 2, viewer.y + viewer.height / 2);
    await page.mouse.down();
    await page.mouse.move(viewer.x + viewer.width / 2 + 40, viewer.y + viewer.height / 2 + 10, { steps: 4 });
    await page.mouse.up();
    expect(await windowReadout()).not.toEqual(before);
    const answers = Number(await page.getByTestId('probe-result').getAttribute('data-answers'));
    await page.getByTestId('probe-masker').selectOption('zero');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=probe-result]')?.getAttribute('data-answers')) > n, answers, { timeout: 30_000 });
    await page.getByTestId('probe-masker').selectOption('blur');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=probe-result]')?.getAttribute('data-answers')) > n + 1, answers, { timeout: 30_000 });
    await expect.poll(() => page.getByTestId('probe-latency').textContent()).not.toMatch(/updating/);
    expect(Number(await page.getByTestId('probe-result').getAttribute('data-probability'))).toBe(painted.probability);
    await page.getByTestId('probe-clear').click();
  });

  it('searches the metadata panel', async () => {
    await page.getByTestId('dicom-metadata').locator('summary').click();
    await page.getByTestId('dicom-metadata-search').fill('patientname');
    const rows = page.getByTestId('dicom-metadata-row');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toMatch(/CompressedSamples\^MR1/);
  });

  it('steps through the frames of a multi-frame file with the slider', async () => {
    await page.getByTestId('image-file-input').setInputFiles(dicomFile('synthetic_m_multiframe'));
    await page.getByTestId('dicom-frames').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('dicom-frame-readout').textContent()).resolves.toMatch(/Frame 1 \/ 3/);
    await expect.poll(() => imageLayerSum().catch(() => -1)).toBeGreaterThan(0);
    const first = await imageLayerSum();
    await page.getByTestId('dicom-frame').fill('2');
    await expect(page.getByTestId('dicom-frame-readout').textContent()).resolves.toMatch(/Frame 3 \/ 3/);
    await expect.poll(() => imageLayerSum()).not.toBe(first);
  });

  it('raised no uncaught errors in the page', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
