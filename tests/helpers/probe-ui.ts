// Driving the probe brush in Chromium, for the probe e2e test and the probe latency bench: a wide
// image whose centre crop is the fixture photo (so the brush must go through the crop geometry),
// the fixture ResNet-18 with its card set to centre-crop, strokes placed in image pixels through
// the viewer's published view transform, and the answer the panel shows after a stroke.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { fixture, imagePng, modelPath } from './fixtures';

/** Grey bars this wide on each side of the 224×224 photo: the model's centre crop is the photo. */
export const PROBE_BAR = 56;

export interface ProbeFiles {
  model: string;
  card: string;
  image: string;
}

/** Writes the centre-crop card and the wide image into `dir`. */
export async function writeProbeFiles(dir: string, photo = 'chelsea'): Promise<ProbeFiles> {
  const card = JSON.parse(readFileSync(fixture('resnet18', 'model.json'), 'utf8')) as { input: Record<string, unknown> };
  card.input.resize = 'center-crop';
  const cardPath = join(dir, 'model.json');
  writeFileSync(cardPath, JSON.stringify(card));
  const image = join(dir, `${photo}-wide.png`);
  await sharp(imagePng(photo)).extend({ left: PROBE_BAR, right: PROBE_BAR, background: { r: 128, g: 128, b: 128 } }).png().toFile(image);
  return { model: modelPath('resnet18'), card: cardPath, image };
}

/** Opens the model (with its card) and the image, and waits for the prediction. */
export async function openProbeFiles(page: Page, files: ProbeFiles): Promise<void> {
  await page.getByTestId('model-file-input').setInputFiles([files.model, files.card]);
  await page.getByTestId('model-summary').waitFor({ timeout: 60_000 });
  await page.getByTestId('image-file-input').setInputFiles(files.image);
  await page.getByTestId('prediction-row').first().waitFor({ timeout: 60_000 });
}

/** Screen position of an image pixel, from the view transform the viewer publishes (data-view = x,y,scale). */
export async function screenPoint(page: Page, [x, y]: readonly [number, number]): Promise<{ x: number; y: number; scale: number }> {
  const viewer = page.getByTestId('viewer');
  const box = (await viewer.boundingBox())!;
  const [viewX, viewY, scale] = (await viewer.getAttribute('data-view'))!.split(',').map(Number);
  return { x: box.x + viewX + x * scale, y: box.y + viewY + y * scale, scale };
}

export interface ProbeAnswer {
  answers: number;
  probability: number;
  baseProbability: number;
  delta: number;
  masked: number;
  /** ms from the stroke's end to its answer on screen, as the page measured it */
  strokeMs: number;
}

export interface StrokeAnswer extends ProbeAnswer {
  /** ms from the mouse-up returning to the page showing the answer, seen from outside (includes polling) */
  outsideMs: number;
}

async function readAnswer(page: Page): Promise<ProbeAnswer | null> {
  const result = page.getByTestId('probe-result');
  if ((await result.count()) === 0) return null;
  const attribute = async (name: string) => Number(await result.getAttribute(`data-${name}`));
  const strokeText = await result.getAttribute('data-stroke-ms');
  return {
    answers: await attribute('answers'),
    probability: await attribute('probability'),
    baseProbability: await attribute('base-probability'),
    delta: await attribute('delta'),
    masked: await attribute('masked'),
    strokeMs: strokeText ? Number(strokeText) : NaN,
  };
}

/**
 * Drags the brush from one image pixel to another (pressed, `steps` moves) and waits for the
 * answer to the mask as the stroke left it. Returns that answer.
 */
export async function strokeAndWait(page: Page, from: readonly [number, number], to: readonly [number, number], steps = 8): Promise<StrokeAnswer> {
  const before = (await readAnswer(page))?.answers ?? 0;
  const start = await screenPoint(page, from);
  const end = await screenPoint(page, to);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps });
  await page.mouse.up();
  const released = performance.now();
  // The stroke has its answer when the panel has a new one, is no longer updating, and has timed the stroke.
  await page.waitForFunction(
    (previous) => {
      const result = document.querySelector('[data-testid=probe-result]');
      const latency = document.querySelector('[data-testid=probe-latency]');
      return Boolean(result && Number(result.getAttribute('data-answers')) > previous && result.getAttribute('data-stroke-ms') && !/updating/.test(latency?.textContent ?? ''));
    },
    before,
    { timeout: 30_000 },
  );
  const outsideMs = performance.now() - released;
  return { ...(await readAnswer(page))!, outsideMs };
}
