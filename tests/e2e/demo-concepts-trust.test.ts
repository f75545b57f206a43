// The demonstration's trust metrics and concept interventions in Chromium (issue 9): on the first
// sample case, Grad-CAM's trust metrics (deletion/insertion AUC, ROAD, localisation against the
// lesion mask, the randomisation check) are computed, shown and stored with the case's explanation;
// with the concept bottleneck model, the concept bars show, and overriding a concept recomputes the
// label through the label head and stores the intervention in the case.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoDemoDir } from '../../src/core/demo/demo-assets';
import { artifactsDir, startChromiumApp, type ChromiumApp } from '../helpers/chromium-app';
import { makeTempDir } from '../helpers/fixtures';

const temp = makeTempDir('sightline-e2e-demo-');
let app: ChromiumApp;
let page: Page;

beforeAll(async () => {
  app = await startChromiumApp({ dataDir: join(temp.dir, 'data'), demoDir: repoDemoDir() });
  page = app.page;
  await page.locator('[data-testid="case-row"].selected').waitFor({ timeout: 60_000 });
  await page.getByTestId('prediction-row').first().waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await app?.close();
  temp.cleanup();
});

/** A procedure called from the page, as the UI calls it (the host's NDJSON result line). */
async function call<T>(name: string, input: unknown): Promise<T> {
  const text = await page.evaluate(async ([n, body]) => (await fetch(`/api/call/${n}`, { method: 'POST', body: JSON.stringify(body) })).text(), [name, input] as const);
  const result = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; value?: T }).find((e) => e.type === 'result');
  if (!result) throw new Error(`${name}: ${text}`);
  return result.value as T;
}

describe('trust metrics in the UI', () => {
  it('computes, shows and stores the trust metrics of a Grad-CAM explanation', async () => {
    await page.getByTestId('method-select').selectOption('grad-cam');
    await page.getByTestId('run-explain').click();
    await page.getByTestId('explain-status').filter({ hasText: /Done/ }).waitFor({ timeout: 120_000 });
    await page.getByTestId('trust-run').click();
    await page.getByTestId('trust-figures').waitFor({ timeout: 120_000 });
    const deletion = Number((await page.getByTestId('trust-deletion').textContent())!.trim().split(' ')[0]);
    const insertion = Number((await page.getByTestId('trust-insertion').textContent())!.trim().split(' ')[0]);
    expect(deletion).toBeGreaterThanOrEqual(0);
    expect(insertion).toBeGreaterThan(deletion);
    expect(await page.getByTestId('trust-road').textContent()).toMatch(/MoRF [01]\.\d{3} · LeRF [01]\.\d{3} · gap -?[01]\.\d{3}/);
    expect(await page.getByTestId('trust-localisation').textContent()).toMatch(/vs demo ground truth: points (inside|outside) · mass 0\.\d\d · rank \d\.\d\d · IoU@20% \d\.\d\d/);
    expect(['separates', 'partial', 'insensitive']).toContain(await page.getByTestId('trust-randomisation').getAttribute('data-verdict'));
    expect(await page.getByTestId('trust-randomisation').locator('tbody tr').count()).toBe(6);
    await page.screenshot({ path: join(artifactsDir, 'demo-trust.png') });
    const detail = await call<{ explanations: { method: string; trust: { deletion: { auc: number } } | null }[] }>('caseGet', { caseId: 'DEMO-01' });
    const stored = detail.explanations.find((e) => e.method === 'grad-cam');
    expect(stored?.trust?.deletion.auc).toBeCloseTo(deletion, 3);
  });
});

describe('concept bottleneck model in the UI', () => {
  it('shows the concept bars and recomputes the label when a concept is overridden', async () => {
    await page.locator('[data-testid="case-row"][data-pseudonym="DEMO-03"]').click();
    await page.locator('[data-testid="case-row"].selected[data-pseudonym="DEMO-03"]').waitFor({ timeout: 30_000 });
    const cbmPath = await page.getByTestId('demo-model').locator('option', { hasText: 'demo-cbm' }).getAttribute('value');
    await page.getByTestId('demo-model').selectOption(cbmPath!);
    await page.getByTestId('concept-panel').waitFor({ timeout: 60_000 });
    const names = await page.getByTestId('concept-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-concept')));
    expect(names).toEqual(['irregular margin', 'spiculated', 'calcified', 'low density (fluid)', 'large']);
    const values = (await page.getByTestId('concept-value').allTextContents()).map(Number);
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(await page.getByTestId('prediction-row').first().textContent()).toContain('malignant mass');
    await page.getByTestId('concept-override').nth(0).selectOption('absent');
    await page.getByTestId('concept-override').nth(1).selectOption('absent');
    await page.getByTestId('concept-recompute').click();
    await page.getByTestId('concept-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('concept-result').textContent()).toMatch(/Label head: benign nodule .* — changed from malignant mass/);
    await page.screenshot({ path: join(artifactsDir, 'demo-concepts.png') });
    const detail = await call<{ interventions: { overrides: { index: number; value: number }[] }[] }>('caseGet', { caseId: 'DEMO-03' });
    expect(detail.interventions.map((i) => i.overrides)).toEqual([[{ index: 0, value: 0 }, { index: 1, value: 0 }]]);
  });
});
