// The interactive probe end to end in Debian's Chromium against the host and the real engine: the
// fixture ResNet-18 (card set to centre-crop) on a wide image whose centre crop is the photo.
// Paint a stroke, erase part of it, switch the masker: the prediction follows each stroke, and the
// numbers shown equal an independent `probe` call with the mask the app holds. Then save the probe
// to a case as a counterfactual and check the stored record: the mask lies where the strokes went
// (through the crop geometry), the numbers are the engine's, and it comes back when the case is
// opened again. Stroke latencies are printed (the 150 ms target is measured by `npm run bench -- probe`).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredProbe } from '../../src/api/schemas';
import { createHttpClient } from '../../src/api/transport';
import { CaseStore } from '../../src/core/store/case-store';
import { decodeMask } from '../../src/core/tensor/binary-mask';
import { artifactsDir, startChromiumApp, type ChromiumApp } from '../helpers/chromium-app';
import { makeTempDir, reportFigure } from '../helpers/fixtures';
import { openProbeFiles, PROBE_BAR, strokeAndWait, writeProbeFiles, type ProbeAnswer } from '../helpers/probe-ui';

const temp = makeTempDir('sightline-e2e-probe-');
const dataDir = join(temp.dir, 'data');
const ROW = 112;
/** the painted stroke, in image pixels (model x = image x − PROBE_BAR) */
const PAINT_FROM = [PROBE_BAR + 40, ROW] as const;
const PAINT_TO = [PROBE_BAR + 180, ROW] as const;
/** the erasing stroke crosses the painted one at model x = 110 */
const ERASE_X = PROBE_BAR + 110;

let app: ChromiumApp;
let page: Page;
const answers: ProbeAnswer[] = [];

beforeAll(async () => {
  app = await startChromiumApp({ dataDir });
  page = app.page;
  await openProbeFiles(page, await writeProbeFiles(temp.dir));
});

afterAll(async () => {
  await app?.close();
  temp.cleanup();
});

async function viewScale(): Promise<number> {
  return Number((await page.getByTestId('viewer').getAttribute('data-view'))!.split(',')[2]);
}

async function storedProbes(): Promise<StoredProbe[]> {
  const store = await CaseStore.open(dataDir);
  try {
    const [found] = store.list({ text: 'counterfactual', sort: 'updated', order: 'desc', limit: 1, offset: 0 }).cases;
    return store.detail(found.id).probes ?? [];
  } finally {
    store.close();
  }
}

describe('probe in Chromium', () => {
  it('painting hides the region and the prediction follows each stroke', async () => {
    await page.getByTestId('probe-paint').click();
    await page.getByTestId('probe-radius').fill('12');
    const painted = await strokeAndWait(page, PAINT_FROM, PAINT_TO);
    answers.push(painted);
    // a 12-screen-pixel brush at the viewer's zoom, swept 140 model pixels (image and model pixels coincide in the crop)
    const radius = 12 / (await viewScale());
    expect(Math.abs(painted.masked - (140 * 2 * radius + Math.PI * radius * radius)) / painted.masked).toBeLessThan(0.08);
    expect(painted.delta).not.toBe(0);
    expect(painted.probability).not.toBeCloseTo(painted.baseProbability, 6);
    await expect(page.getByTestId('probe-coverage').textContent()).resolves.toContain(`${painted.masked} of 50176 pixels`);

    // The painted mask is drawn over the image.
    const tinted = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=viewer] canvas[data-layer=annotations]')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] > data[i + 1] + 60) count++;
      return count;
    });
    expect(tinted).toBeGreaterThan(1000);

    await page.getByTestId('probe-erase').click();
    const erased = await strokeAndWait(page, [ERASE_X, ROW - 40], [ERASE_X, ROW + 40]);
    answers.push(erased);
    expect(erased.masked).toBeLessThan(painted.masked);
    expect(painted.masked - erased.masked).toBeLessThan(2 * radius * 2 * radius * 1.1);
    await page.screenshot({ path: join(artifactsDir, 'e2e-probe.png') });
  });

  it('shows what the engine computes for the mask the app holds, for any masker', async () => {
    const before = Number(await page.getByTestId('probe-result').getAttribute('data-answers'));
    await page.getByTestId('probe-masker').selectOption('zero');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=probe-result]')?.getAttribute('data-answers')) > n, before, { timeout: 30_000 });
    await expect.poll(() => page.getByTestId('probe-latency').textContent()).not.toMatch(/updating/);
    const shown = Number(await page.getByTestId('probe-result').getAttribute('data-probability'));
    expect(await page.getByTestId('probe-result').getAttribute('data-masked')).toBe(String(answers[1].masked));
    // an independent call through the host with the same mask (saved below) must agree; kept for the next test
    answers.push({ ...answers[1], probability: shown });
    // What the model sees: the masked input, at the model's size.
    await page.getByTestId('probe-show-input').check();
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('[data-testid=probe-input]')?.naturalWidth ?? 0) === 224, undefined, { timeout: 30_000 });
    await page.getByTestId('probe-panel').screenshot({ path: join(artifactsDir, 'e2e-probe-input.png') });
  });

  it('saves the probe to a case as a counterfactual, where the mask follows the strokes', async () => {
    await page.getByTestId('case-reviewer').fill('Dr Probe');
    await page.getByTestId('case-new').click();
    await page.getByTestId('review-panel').waitFor({ timeout: 30_000 });
    await page.getByTestId('case-note').fill('counterfactual check of the head region');
    await page.getByTestId('case-note').blur();
    await page.getByTestId('probe-note').fill('hiding the head band lowers the score');
    await page.getByTestId('probe-save').click();
    await page.getByTestId('probe-saved-item').first().waitFor({ timeout: 30_000 });

    const [saved] = await storedProbes();
    expect(saved).toMatchObject({ masker: 'zero', note: 'hiding the head band lowers the score', author: 'Dr Probe', maskedPixels: answers[1].masked });
    expect(saved.probability).toBeCloseTo(answers[2].probability, 6);
    const mask = decodeMask(saved.mask);
    expect([saved.mask.width, saved.mask.height]).toEqual([224, 224]);
    const at = (x: number, y: number) => mask[y * 224 + x];
    // Painted from model x 40 to 180 on row 112 with a 12-screen-pixel brush, erased around x = 110.
    const radius = 12 / (await viewScale());
    expect(at(45, ROW)).toBe(1);
    expect(at(175, ROW)).toBe(1);
    expect(at(110, ROW)).toBe(0);
    const rows = [...Array(224).keys()].filter((y) => at(60, y));
    expect(Math.abs(rows[0] - (ROW - radius))).toBeLessThanOrEqual(1.5);
    expect(Math.abs(rows.at(-1)! - (ROW + radius))).toBeLessThanOrEqual(1.5);
    const columns = [...Array(224).keys()].filter((x) => at(x, ROW));
    expect(Math.abs(columns[0] - (40 - radius))).toBeLessThanOrEqual(1.5);
    expect(Math.abs(columns.at(-1)! - (180 + radius))).toBeLessThanOrEqual(1.5);

    // The stored numbers are the engine's for that mask: an independent call through the host agrees.
    const http = createHttpClient(new URL(page.url()).origin);
    const modelId = (await page.getByTestId('model-summary').getAttribute('data-model-id'))!;
    const inputId = (await page.getByTestId('image-summary').getAttribute('data-input-id'))!;
    const again = await http.api.probe({ modelId, inputId, mask: saved.mask, masker: 'zero', target: saved.target });
    expect(again.probability).toBeCloseTo(saved.probability, 6);
    expect(again.delta).toBeCloseTo(saved.delta, 5);
  });

  it('the saved counterfactual comes back with the case and can be shown again', async () => {
    await page.getByTestId('probe-clear').click();
    await expect(page.getByTestId('probe-coverage').textContent()).resolves.toContain('0 of 50176');
    await page.getByTestId('probe-saved-item').first().getByRole('button').click();
    await expect(page.getByTestId('probe-coverage').textContent()).resolves.toContain(`${answers[1].masked} of 50176`);
    await expect(page.getByTestId('probe-masker').inputValue()).resolves.toBe('zero');
    // Paint programs' keys while the brush is on.
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    await expect(page.getByTestId('probe-radius').inputValue()).resolves.toBe('16');
    await page.keyboard.press('x');
    await expect(page.getByTestId('probe-paint').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('probe-toggle').getAttribute('aria-pressed')).resolves.toBe('false');
    // Drawing and probing both take the pointer: choosing one turns the other off.
    await page.getByTestId('tool-rectangle').click();
    await expect(page.getByTestId('probe-toggle').getAttribute('aria-pressed')).resolves.toBe('false');
    await page.getByTestId('probe-paint').click();
    await expect(page.getByTestId('tool-select').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByTestId('probe-toggle').getAttribute('aria-pressed')).resolves.toBe('true');
    for (const [i, a] of answers.slice(0, 2).entries()) reportFigure(`probe stroke ${i + 1} → answer shown (ms)`, a.strokeMs.toFixed(0));
    expect(app.pageErrors).toEqual([]);
  });
});
