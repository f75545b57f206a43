// The PDF report's "Counterfactual probes" section (issue 5): absent from the report of a case with
// no probe; once two probes are saved, read back with pdftotext, it lists each with its note, the
// share of the model input hidden, the masker, the target, the probability before → after, the
// logit change, the author and the time, in the order they were saved, each beside a thumbnail of
// what it hid (the image at the mask's size with the hidden pixels tinted).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredProbe } from '../../../src/api/schemas';
import { formatValue } from '../../../src/core/display/number-format';
import { reportTime } from '../../../src/core/report/compose';
import { reportFigure } from '../../helpers/fixtures';
import { pdfImages, pdfText } from '../../helpers/pdf';
import { brushStroke, PROBE_LABELS, probeCase } from '../../helpers/probe-case';

const c = probeCase('sightline-report-probes-');
const REPORT_DATE = '2026-03-04T05:06:07.000Z';

/** The report's text with every run of white space (line breaks from wrapping included) as one space. */
function reportPath(name: string): string {
  return join(c.dir, `${name}.pdf`);
}

async function reportText(name: string): Promise<string> {
  const out = reportPath(name);
  const report = await c.api.caseReport({ caseId: c.caseId, out, generatedAt: REPORT_DATE });
  reportFigure(`report pages (${name})`, report.pages);
  return pdfText(out).replace(/\s+/g, ' ');
}

/** What the section says of one probe (the case's model predicts with softmax, so scores are percentages). */
function probeLines(probe: StoredProbe, n: number): string[] {
  const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
  const share = ((100 * probe.maskedPixels) / (probe.mask.width * probe.mask.height)).toFixed(1);
  return [
    `Probe ${n}`,
    probe.note,
    `Hidden: ${share}% of the model input (${probe.maskedPixels} of 10 × 10 pixels), ${probe.masker} masker`,
    `“${probe.targetLabel}” (class ${probe.target}): probability ${percent(probe.baseProbability)} → ${percent(probe.probability)}; ` +
      `logit change ${probe.delta > 0 ? '+' : ''}${formatValue(probe.delta)} (${formatValue(probe.baseScore)} → ${formatValue(probe.score)})`,
    `By ${probe.author}, ${reportTime(probe.createdAt)}`,
  ];
}

describe('counterfactual probes in the PDF report', () => {
  it('has no probe section while the case has no probe', async () => {
    const text = await reportText('no-probes');
    expect(text).toContain(c.pseudonym);
    expect(text).not.toContain('Counterfactual probes');
  });

  it('lists each saved probe with its numbers', async () => {
    await c.api.probeSave({ modelId: c.modelId, inputId: c.inputId, caseId: c.caseId, mask: brushStroke([3, 4], [0, 4]).mask, masker: 'zero', target: 0, note: 'Left of the region hidden.', actor: 'dr.probe' });
    const detail = await c.api.probeSave({ modelId: c.modelId, inputId: c.inputId, caseId: c.caseId, mask: brushStroke([0, 9], [0, 9]).mask, masker: 'mean', target: 1, note: 'Whole input hidden.' });
    const [left, whole] = detail.probes!;
    expect(whole).toMatchObject({ maskedPixels: 100, targetLabel: PROBE_LABELS[1], author: 'dr.test' });
    const text = await reportText('two-probes');
    expect(text).toContain('Counterfactual probes');
    const lines = [...probeLines(left, 1), ...probeLines(whole, 2)];
    for (const line of lines) expect(text).toContain(line);
    // in the order saved, between the explanations' place and the annotations
    expect(text.indexOf(left.note)).toBeLessThan(text.indexOf(whole.note));
    expect(text.indexOf('Counterfactual probes')).toBeLessThan(text.indexOf('Annotations No annotations.'));
    reportFigure('report probe lines', lines.slice(2, 4).join(' | '));
    // One thumbnail per probe, at the mask's size (10 × 10), covering the whole model input (a tensor input: no crop).
    expect([left.region, whole.region]).toEqual([{ x: 0, y: 0, width: 1, height: 1 }, { x: 0, y: 0, width: 1, height: 1 }]);
    const before = pdfImages(reportPath('no-probes'));
    const after = pdfImages(reportPath('two-probes'));
    const thumbnails = after.filter((image) => image.width === 10 && image.height === 10);
    expect(after.length - before.length).toBe(2);
    expect(thumbnails.length).toBe(2 + before.filter((image) => image.width === 10 && image.height === 10).length);
  });
});
