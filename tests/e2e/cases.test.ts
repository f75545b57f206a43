// Must show 4, end to end in Debian's Chromium against the host: create a case, run two explainers
// (occlusion and RISE when the registry has it, else occlusion twice with other windows), draw a
// polygon and an arrow, undo and redo, set a verdict, sign; stop the host, start it again on the
// same data folder, find the case by a word of its note, and check that everything is as saved:
// note, status, explanations and their agreement, annotations (to the pixel), verdict, signature,
// display settings. Also OHIF's viewer keys. Screenshots are kept in test-artifacts/.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../src/api/case-schemas';
import { CaseStore } from '../../src/core/store/case-store';
import { waitForHeatmapPixels } from '../helpers/browser';
import { artifactsDir as artifacts, startChromiumApp, type ChromiumApp } from '../helpers/chromium-app';
import { fixture, imagePng, makeTempDir, modelPath } from '../helpers/fixtures';

const temp = makeTempDir('sightline-e2e-cases-');
const dataDir = join(temp.dir, 'data');
const POLYGON: [number, number][] = [[60, 60], [160, 50], [150, 150], [70, 140]];
const ARROW_HEAD: [number, number] = [120, 100];
const ARROW_TAIL: [number, number] = [190, 190];

let app: ChromiumApp | null = null;
let page: Page;
const pageErrors: string[] = [];
let savedBeforeRestart: CaseDetail;

/** Starts engine, host, Chromium and a page on the test's data folder. */
async function startApp(): Promise<void> {
  app = await startChromiumApp({ dataDir });
  page = app.page;
}

async function stopApp(): Promise<void> {
  pageErrors.push(...(app?.pageErrors ?? []));
  await app?.close();
  app = null;
}

/** The case whose note has `word`, read from the data folder directly (not through the app). */
async function storedCase(word: string): Promise<CaseDetail> {
  const store = await CaseStore.open(dataDir);
  try {
    const [found] = store.list({ text: word, sort: 'updated', order: 'desc', limit: 2, offset: 0 }).cases;
    return store.detail(found.id);
  } finally {
    store.close();
  }
}

beforeAll(startApp);

afterAll(async () => {
  await stopApp();
  temp.cleanup();
});

/** Screen position of an image pixel, from the view transform the viewer publishes (data-view = x,y,scale). */
async function screenPoint([x, y]: [number, number]): Promise<{ x: number; y: number }> {
  const viewer = page.getByTestId('viewer');
  const box = (await viewer.boundingBox())!;
  const [viewX, viewY, scale] = (await viewer.getAttribute('data-view'))!.split(',').map(Number);
  return { x: box.x + viewX + x * scale, y: box.y + viewY + y * scale };
}

async function waitSaved(): Promise<void> {
  await page.getByTestId('annotation-save-status').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 10_000 });
}

async function runExplainer(method: string, params: Record<string, string>): Promise<void> {
  const before = await page.getByTestId('case-explanation').count();
  await page.getByTestId('method-select').selectOption(method);
  for (const [name, value] of Object.entries(params)) await page.getByTestId(`param-${name}`).fill(value);
  await page.getByTestId('run-explain').click();
  await page.getByTestId('case-explanation').nth(before).waitFor({ timeout: 120_000 });
}

describe('case review in Chromium', () => {
  it('creates a case for the open image and model', async () => {
    await page.getByTestId('model-file-input').setInputFiles([modelPath('resnet18'), fixture('resnet18', 'model.json')]);
    await page.getByTestId('model-summary').waitFor({ timeout: 60_000 });
    await page.getByTestId('image-file-input').setInputFiles(imagePng('chelsea'));
    await page.getByTestId('prediction-row').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('case-reviewer').fill('Dr E2E');
    await page.getByTestId('case-new').click();
    await page.getByTestId('review-panel').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('case-status').getAttribute('data-status')).resolves.toBe('new');
    await page.getByTestId('case-note').fill('suspicious apical opacity, compare with prior');
    await page.getByTestId('case-note').blur();
    await page.getByTestId('case-status').and(page.locator('[data-status=in_review]')).waitFor({ timeout: 10_000 });
    // The list is fetched again shortly after the case changes.
    await expect.poll(() => page.getByTestId('case-list-count').textContent()).toMatch(/1 of 1 case/);
  });

  it('runs two explainers and stores both with the case', async () => {
    const methods = await page.getByTestId('method-select').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    await runExplainer('occlusion', { window: '3,56,56', strides: '3,56,56' });
    if (methods.includes('rise')) await runExplainer('rise', { samples: '64', seed: '7' });
    else await runExplainer('occlusion', { window: '3,32,32', strides: '3,32,32' });
    const rows = page.getByTestId('case-explanation');
    expect(await rows.count()).toBe(2);
    await expect(rows.nth(1).getAttribute('data-shown')).resolves.toBe('true');
    await expect(rows.first().textContent()).resolves.toMatch(/Outline a region/);
  });

  it('draws a polygon and an arrow, undoes and redoes, and measures agreement', async () => {
    await page.getByTestId('tool-polygon').click();
    for (const vertex of POLYGON) {
      const p = await screenPoint(vertex);
      await page.mouse.click(p.x, p.y);
    }
    await page.keyboard.press('Enter');
    await waitSaved();
    await page.getByTestId('tool-arrow').click();
    const head = await screenPoint(ARROW_HEAD);
    const tail = await screenPoint(ARROW_TAIL);
    await page.mouse.move(head.x, head.y);
    await page.mouse.down();
    await page.mouse.move((head.x + tail.x) / 2, (head.y + tail.y) / 2, { steps: 4 });
    await page.mouse.move(tail.x, tail.y, { steps: 4 });
    await page.mouse.up();
    await waitSaved();
    const kinds = () => page.getByTestId('annotation-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    await expect(kinds()).resolves.toEqual(['polygon', 'arrow']);

    await page.keyboard.press('Control+z');
    await expect.poll(kinds).toEqual(['polygon']);
    await waitSaved();
    await page.keyboard.press('Control+y');
    await expect.poll(kinds).toEqual(['polygon', 'arrow']);
    await waitSaved();
    await page.getByTestId('tool-select').click();

    // The polygon is a region: both explanations now have agreement figures, stored with the case.
    await expect.poll(() => page.getByTestId('agreement').count()).toBe(2);
    await expect(page.getByTestId('agreement-pointing').first().textContent()).resolves.toMatch(/pointing (hit|miss)/);
    const detail = await storedCase('apical');
    const polygon = detail.annotations.find((a) => a.kind === 'polygon')!;
    const arrow = detail.annotations.find((a) => a.kind === 'arrow')!;
    // Stored in image pixels: within half a screen pixel (≈ 0.2 image px at this zoom) of where we clicked.
    polygon.points.forEach((p, i) => p.forEach((v, k) => expect(Math.abs(v - POLYGON[i][k])).toBeLessThan(0.5)));
    [ARROW_HEAD, ARROW_TAIL].forEach((q, i) => q.forEach((v, k) => expect(Math.abs(arrow.points[i][k] - v)).toBeLessThan(0.5)));
    expect(detail.annotations.map((a) => a.author)).toEqual(['Dr E2E', 'Dr E2E']);
    expect(detail.explanations.every((e) => e.agreement !== null)).toBe(true);
  });

  it("follows OHIF's keys: r/l rotate, h/v flip, i invert, space resets", async () => {
    const orientation = () => page.getByTestId('viewer').getAttribute('data-orientation');
    await page.keyboard.press('r');
    await expect.poll(orientation).toBe('90');
    await page.keyboard.press('h');
    await page.keyboard.press('i');
    await expect.poll(orientation).toBe('90 flip-h inverted');
    await expect(page.getByTestId('toggle-heatmap').isChecked()).resolves.toBe(true);
    await page.keyboard.press('l');
    await page.keyboard.press('v');
    await expect.poll(orientation).toBe('0 flip-h flip-v inverted');
    await page.screenshot({ path: join(artifacts, 'e2e-case-turned.png') });
    await page.keyboard.press(' ');
    await expect.poll(orientation).toBe('0');
  });

  it('sets the display, a verdict, and signs', async () => {
    await page.getByTestId('opacity').fill('0.3');
    await page.getByTestId('verdict-prediction-agree').check();
    await page.getByTestId('verdict-explanation-uncertain').check();
    await page.getByTestId('verdict-comment').fill('map also lights the collar');
    await page.getByTestId('verdict-save').click();
    await page.getByTestId('case-verdict').waitFor({ timeout: 10_000 });
    await page.getByTestId('sign-meaning').selectOption('approval');
    await page.getByTestId('sign-submit').click();
    await page.getByTestId('case-status').and(page.locator('[data-status=signed]')).waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('signature-row').textContent()).resolves.toMatch(/Revision 1 signed by Dr E2E .* meaning: approval/);
    // The view is saved shortly after the last change.
    await expect.poll(async () => Object.values((await storedCase('apical')).view.display).map((d) => d.opacity), { timeout: 5_000 }).toContain(0.3);
    savedBeforeRestart = await storedCase('apical');
    expect(savedBeforeRestart.summary).toMatchObject({ status: 'signed', revision: 1 });
    await page.screenshot({ path: join(artifacts, 'e2e-case-signed.png') });
  });

  it('after a restart on the same data folder, finds the case by a word of its note, all as saved', async () => {
    await stopApp();
    await startApp();
    await page.getByTestId('case-search').fill('apical');
    const row = page.getByTestId('case-row').filter({ hasText: savedBeforeRestart.summary.pseudonym });
    await row.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('case-row').count()).toBe(1);
    await row.click();
    await page.getByTestId('review-panel').waitFor({ timeout: 30_000 });

    await expect(page.getByTestId('case-pseudonym').textContent()).resolves.toBe(savedBeforeRestart.summary.pseudonym);
    await expect(page.getByTestId('case-status').getAttribute('data-status')).resolves.toBe('signed');
    await expect(page.getByTestId('case-revision').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('case-note').inputValue()).resolves.toBe('suspicious apical opacity, compare with prior');
    await expect(page.getByTestId('image-name').textContent()).resolves.toBe('chelsea.png');
    await expect(page.getByTestId('annotation-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))).resolves.toEqual(['polygon', 'arrow']);
    await expect(page.getByTestId('case-explanation').count()).resolves.toBe(2);
    await expect(page.getByTestId('agreement').count()).resolves.toBe(2);
    await expect(page.getByTestId('case-verdict').textContent()).resolves.toMatch(/Prediction: agree · explanation: uncertain .*map also lights the collar/);
    await expect(page.getByTestId('signature-row').textContent()).resolves.toMatch(/signed by Dr E2E/);
    // The stored explanation is drawn again with its saved display settings.
    await expect(page.getByTestId('opacity').inputValue()).resolves.toBe('0.3');
    await waitForHeatmapPixels(page);
    // The uploaded model lived in the old host's temporary folder: the app says so, and shows what is stored.
    await expect(page.getByTestId('error-banner').textContent()).resolves.toMatch(/no longer at/);

    expect(await storedCase('apical')).toEqual(savedBeforeRestart);
    const store = await CaseStore.open(dataDir);
    const verification = await store.verify();
    store.close();
    expect(verification).toMatchObject({ ok: true, integrity: ['ok'], problems: [] });
    await page.screenshot({ path: join(artifacts, 'e2e-case-reopened.png') });
  });

  it('raised no uncaught errors in the page', () => {
    expect([...pageErrors, ...(app?.pageErrors ?? [])]).toEqual([]);
  });
});
