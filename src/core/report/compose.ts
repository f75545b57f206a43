// Composes the PDF case report from ReportData: case facts (pseudonymous ID, no identifying DICOM
// value), the image with overlay, annotations and colour bar, the prediction table, one section per
// explanation opening with its plain-language sentence, the counterfactual probes (when any were
// saved), the annotations, the verdict and notes, the signature block.
// The same data gives the same bytes: every date comes from the data, none from the clock.
import { DISCLAIMER } from '../../api/schemas';
import type { Annotation } from '../../api/case-schemas';
import { formatDuration, formatScore, formatValue } from '../display/number-format';
import { isRegion } from '../metrics/region-mask';
import { fromWire } from '../tensor/wire';
import { colourBarCaption, colourBarOf, drawColourBar, drawImageFigure, fitImage, overlayRaster, probeRaster, type Box } from './figure';
import { INK, MARGINS, PageFlow, SIZE, createDocument, type KeyValue } from './page-flow';
import { explanationSentence } from './plain-language';
import type { ReportData, ReportExplanation, ReportProbe } from './report-data';

export interface RenderedReport {
  bytes: Buffer;
  pages: number;
}

const STATUS_TEXT: Record<string, string> = { new: 'New', in_review: 'In review', signed: 'Signed' };
const FIGURE_SIDE = 250;
const THUMBNAIL_SIDE = 104;
const SENTENCE_SIZE = SIZE.body + 0.5;

/** ISO time → "2026-01-02 03:04:05 UTC" (the report states every time in UTC). */
export function reportTime(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso;
}

/** XMP is written by pdfkit without escaping: metadata values keep to characters that need none. */
function metadataText(text: string): string {
  return text.replace(/[<>&"']/g, ' ');
}

function paramText(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export async function renderReportPdf(data: ReportData): Promise<RenderedReport> {
  const created = new Date(data.generatedAt);
  if (Number.isNaN(created.getTime())) throw new Error(`The report date ${data.generatedAt} is not an ISO date`);
  const doc = createDocument({
    size: data.pageSize === 'Letter' ? 'LETTER' : 'A4',
    info: {
      Title: metadataText(`Sightline case report ${data.caseInfo.pseudonym}`),
      Subject: 'Decision support, not a diagnosis',
      Keywords: metadataText(`Sightline; case ${data.caseInfo.pseudonym}; ${data.prediction ? `model SHA-256 ${data.prediction.modelSha256}` : 'no prediction'}`),
      Creator: metadataText(`Sightline ${data.appVersion}`),
      Producer: metadataText(`Sightline ${data.appVersion} (PDFKit)`),
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const flow = new PageFlow(doc);
  doc.y = MARGINS.top;
  const overlays = overlayCache(data.image?.previewPng ?? '');

  caseSection(flow, data);
  await figureSection(flow, data, overlays);
  predictionSection(flow, data);
  for (const [index, explanation] of data.explanations.entries()) await explanationSection(flow, data, explanation, index, overlays);
  await probeSection(flow, data.probes, data.image?.previewPng ?? '');
  annotationSection(flow, data.annotations);
  verdictSection(flow, data);
  signatureSection(flow, data);

  const pages = flow.drawFrame({
    title: 'Sightline case report',
    caseLine: `Case ${data.caseInfo.pseudonym}`,
    dateLine: `Report date ${reportTime(data.generatedAt)}`,
    institution: data.institution,
    disclaimer: DISCLAIMER,
    footerLeft: `Sightline ${data.appVersion} · ${data.pageSize} · case ${data.caseInfo.pseudonym}`,
  });
  doc.end();
  return { bytes: await finished, pages };
}

/** The overlay raster of an explanation over the preview (the bare preview for null), rendered once per report. */
type Overlays = (explanation: ReportExplanation | null) => Promise<Buffer | null>;

function overlayCache(previewPng: string): Overlays {
  const rendered = new Map<ReportExplanation | null, Promise<Buffer | null>>();
  return (explanation) => {
    let raster = rendered.get(explanation);
    if (!raster) {
      raster = overlayRaster(previewPng, explanation);
      rendered.set(explanation, raster);
    }
    return raster;
  };
}

function caseSection(flow: PageFlow, data: ReportData): void {
  const { caseInfo, image } = data;
  flow.heading('Case');
  const rows: KeyValue[] = [
    { key: 'Case ID', value: caseInfo.pseudonym },
    { key: 'Status', value: `${STATUS_TEXT[caseInfo.status] ?? caseInfo.status}, revision ${caseInfo.revision}` },
    { key: 'Created', value: `${reportTime(caseInfo.createdAt)} by ${caseInfo.createdBy}` },
  ];
  if (image) {
    rows.push({ key: 'Image', value: `${image.format.toUpperCase()}, ${image.width} × ${image.height} pixels, ${image.channels} channel${image.channels === 1 ? '' : 's'}, ${image.bitDepth}-bit` });
    rows.push({ key: 'Image file SHA-256', value: image.sha256, mono: true });
    const d = image.dicom;
    if (d) {
      const parts = [
        d.modality && `modality ${d.modality}`,
        d.photometric,
        d.transferSyntax,
        d.frames !== null && `${d.frames} frame${d.frames === 1 ? '' : 's'}`,
        d.bitsStored !== null && `${d.bitsStored} bits stored`,
        d.lossy !== null && (d.lossy ? 'lossy compressed' : 'lossless'),
      ].filter(Boolean);
      rows.push({ key: 'DICOM (technical)', value: parts.join(' · ') });
      if (d.burnedInAnnotation !== 'NO') {
        rows.push({ key: 'Burned-in text', value: `Burned In Annotation is ${d.burnedInAnnotation ?? 'absent'}: the image pixels may show identifying text.`, color: INK.warn });
      }
    }
  } else rows.push({ key: 'Image', value: 'No image is stored with this case.' });
  rows.push({ key: 'Patient identity', value: 'Not shown. The case is named by its pseudonymous ID and the image by its file’s SHA-256; only technical DICOM attributes appear in this report.' });
  flow.keyValues(rows);
}

async function figureSection(flow: PageFlow, data: ReportData, overlays: Overlays): Promise<void> {
  const { doc } = flow;
  const explanation = data.figureIndex === null ? null : data.explanations[data.figureIndex];
  flow.heading('Image, explanation and annotations', 1, FIGURE_SIDE + 20);
  if (!data.image) {
    flow.paragraph('No image is stored with this case.', { color: INK.muted });
    return;
  }
  const side = Math.min(FIGURE_SIDE, flow.width * 0.5);
  const size = fitImage(data.image.width, data.image.height, side, side);
  flow.ensure(size.height + 8);
  const box: Box = { x: flow.left, y: doc.y, ...size };
  drawImageFigure(doc, box, {
    raster: await overlays(explanation),
    imageWidth: data.image.width,
    imageHeight: data.image.height,
    annotations: data.annotations,
    peak: explanation?.agreement ? { at: explanation.agreement.pointingAt, hit: explanation.agreement.pointingHit } : null,
    labels: true,
  });
  let captionX = box.x + box.width + 12;
  if (explanation) {
    drawColourBar(doc, { x: captionX, y: box.y, width: 10, height: box.height }, colourBarOf(explanation), 'vertical');
    captionX += 58;
  }
  const lines = explanation
    ? [
        `Shown: ${explanation.methodLabel} for “${explanation.record.targetLabel}” (class ${explanation.record.target}), explanation ${data.figureIndex! + 1} of ${data.explanations.length}.`,
        ...captionLines(explanation),
      ]
    : ['No explanation is stored: the image and its annotations only.'];
  const regions = data.annotations.filter(isRegion).length;
  lines.push(
    data.annotations.length
      ? `Annotations in yellow: ${data.annotations.length} (${regions} region${regions === 1 ? '' : 's'}), drawn as vectors in image coordinates.`
      : 'No annotations.',
  );
  if (explanation?.agreement) lines.push(`The cross marks the map’s peak: green inside the annotated regions, orange outside (here ${explanation.agreement.pointingHit ? 'inside' : 'outside'}).`);
  flow.style('regular', SIZE.small, INK.text);
  doc.text(lines.join('\n'), captionX, box.y, { width: flow.left + flow.width - captionX, lineGap: 2, paragraphGap: 3 });
  doc.y = Math.max(doc.y, box.y + box.height) + 8;
  doc.x = flow.left;
}

function captionLines(explanation: ReportExplanation): string[] {
  const caption = colourBarCaption(explanation);
  return [`Values: ${caption.values}`, `Normalisation: ${caption.normalisation}`, `Overlay: ${caption.look}`];
}

function predictionSection(flow: PageFlow, data: ReportData): void {
  flow.heading('Prediction');
  const p = data.prediction;
  if (!p) {
    flow.paragraph('No prediction is stored with this case.', { color: INK.muted });
    return;
  }
  const { activation } = p;
  const numberWidth = 72;
  const classWidth = flow.width - 40 - 50 - 2 * numberWidth;
  flow.table(
    [
      { title: 'Rank', width: 40 },
      { title: 'Class', width: classWidth },
      { title: 'Index', width: 50, align: 'right' },
      { title: activation === 'none' ? 'Score' : `Score (${activation})`, width: numberWidth, align: 'right' },
      { title: 'Logit', width: numberWidth, align: 'right' },
    ],
    p.top.map((t, rank) => [String(rank + 1), t.label, String(t.index), formatScore(t.score, activation), formatValue(p.logits[t.index] ?? Number.NaN)]),
  );
  flow.keyValues([
    { key: 'Model', value: `${p.modelName}, version ${p.modelVersion ?? 'not stated by its card'}` },
    { key: 'Model SHA-256', value: p.modelSha256, mono: true },
    { key: 'Provider', value: p.provider },
    { key: 'Decision threshold', value: 'None set by the model card: the top-ranked class is the prediction; scores are the model’s own outputs.' },
    { key: 'Predicted', value: reportTime(p.createdAt) },
  ]);
}

function agreementText(explanation: ReportExplanation): string {
  const a = explanation.agreement;
  if (!a) return 'Not computed: no region is annotated.';
  return (
    `Pointing game: ${a.pointingHit ? 'hit' : 'miss'} (peak at ${a.pointingAt.map((v) => v.toFixed(1)).join(', ')}); ` +
    `relevance mass inside: ${(a.massInside * 100).toFixed(1)}%; top-${a.topKPercent}% IoU: ${a.topKIoU.toFixed(3)}; ` +
    `the regions cover ${a.regionCells} of ${a.mapCells} map cells.`
  );
}

async function explanationSection(flow: PageFlow, data: ReportData, explanation: ReportExplanation, index: number, overlays: Overlays): Promise<void> {
  const { doc } = flow;
  const { record } = explanation;
  const sentence = explanationSentence({ targetLabel: record.targetLabel, map: fromWire(record.heatmap), region: record.overlayRegion, agreement: explanation.agreement, stats: record.stats });
  const caption = colourBarCaption(explanation);
  const params = Object.entries(record.params).map(([k, v]) => `${k} = ${paramText(v)}`);
  const stats = Object.entries(record.stats ?? {}).map(([k, v]) => `${k} = ${typeof v === 'number' ? formatValue(v) : String(v)}`);
  const rows: KeyValue[] = [
    { key: 'Method', value: `${explanation.methodLabel} (${record.method})` },
    { key: 'Target', value: `“${record.targetLabel}” (class ${record.target})` },
    { key: 'Parameters', value: params.length ? params.join('; ') : 'defaults' },
    { key: 'Seed', value: explanation.seed === null ? 'none recorded (deterministic method)' : String(explanation.seed) },
    { key: 'Computed', value: `${reportTime(record.startedAt)}, ${formatDuration(record.durationMs)}, ${record.evaluations} model evaluations on ${record.provider}` },
    { key: 'Output', value: `${record.meaning} (${record.unit}, ${record.signed ? 'signed' : 'unsigned'}), raw shape [${record.attribution.shape.join(', ')}]; map values ${caption.values}` },
    { key: 'Display', value: `${record.display.map((s) => s.op).join(' → ') || 'map as computed'}; ${caption.look}; normalisation ${caption.normalisation}` },
    { key: 'Trust and agreement', value: agreementText(explanation) },
  ];
  if (stats.length) rows.push({ key: 'Run figures', value: stats.join('; ') });
  if (data.prediction && record.modelSha256 !== data.prediction.modelSha256) rows.push({ key: 'Model SHA-256', value: record.modelSha256, mono: true });

  const thumb = data.image ? fitImage(data.image.width, data.image.height, THUMBNAIL_SIDE, THUMBNAIL_SIDE) : null;
  const thumbBlock = thumb ? thumb.height + 22 : 0;
  const textWidth = flow.width - (thumb ? THUMBNAIL_SIDE + 12 : 0);
  const layout = { width: textWidth, keyWidth: 96 };
  // The whole section moves to the next page when it fits on one but not on what is left of this one.
  const heading = `Explanation ${index + 1} of ${data.explanations.length}: ${explanation.methodLabel}`;
  flow.heading(heading, 1, flow.paragraphHeight(sentence, SENTENCE_SIZE) + Math.max(thumbBlock, flow.keyValuesHeight(rows, layout)));
  flow.paragraph(sentence, { size: SENTENCE_SIZE });
  flow.ensure(thumbBlock);
  const top = doc.y;
  if (thumb && data.image) {
    const box: Box = { x: flow.left + flow.width - thumb.width, y: top, ...thumb };
    drawImageFigure(doc, box, {
      raster: await overlays(explanation),
      imageWidth: data.image.width,
      imageHeight: data.image.height,
      annotations: data.annotations,
      peak: null,
      labels: false,
    });
    drawColourBar(doc, { x: box.x, y: box.y + box.height + 3, width: box.width, height: 6 }, colourBarOf(explanation), 'horizontal');
  }
  doc.y = top;
  flow.keyValues(rows, layout);
  // The thumbnail stays on the page it was drawn on; text that moved on is already below it.
  if (doc.y < top + thumbBlock && doc.y >= top) doc.y = top + thumbBlock;
  flow.gap(4);
}

/** The target's probability before → after (a plain score when the activation is none or not known) and its logit change. */
function probeChangeText(probe: ReportProbe['probe'], activation: ReportProbe['activation']): string {
  const probability = activation === 'softmax' || activation === 'sigmoid' ? activation : null;
  const score = (value: number) => (probability ? formatScore(value, probability) : formatValue(value));
  const delta = `${probe.delta > 0 ? '+' : ''}${formatValue(probe.delta)}`;
  return (
    `“${probe.targetLabel}” (class ${probe.target}): ${probability ? 'probability' : 'score'} ${score(probe.baseProbability)} → ${score(probe.probability)}; ` +
    `logit change ${delta} (${formatValue(probe.baseScore)} → ${formatValue(probe.score)})`
  );
}

/** The share of the model input a probe hid, as a percentage that never rounds a hidden region to 0. */
function hiddenShareText(probe: ReportProbe['probe']): string {
  const share = (100 * probe.maskedPixels) / (probe.mask.width * probe.mask.height);
  return share > 0 && share < 0.1 ? '< 0.1%' : `${share.toFixed(1)}%`;
}

/** Side of a probe's thumbnail, in points. */
const PROBE_THUMB = 84;

/**
 * Probes saved as counterfactuals: for each, a thumbnail of what was hidden (the model's view of the
 * image with the hidden pixels tinted) beside the note, the masker and the target's score before and
 * after. No section when there are none.
 */
async function probeSection(flow: PageFlow, probes: readonly ReportProbe[], previewPng: string): Promise<void> {
  if (probes.length === 0) return;
  flow.heading('Counterfactual probes');
  flow.paragraph('Each probe hides a painted region of the model input and records what the model then says; Sightline recomputed the numbers when the probe was saved.', {
    size: SIZE.small,
    color: INK.muted,
  });
  const doc = flow.doc;
  for (const [i, { probe, activation }] of probes.entries()) {
    const row = {
      key: `Probe ${i + 1}`,
      value: [
        probe.note || 'No note.',
        `Hidden: ${hiddenShareText(probe)} of the model input (${probe.maskedPixels} of ${probe.mask.width} × ${probe.mask.height} pixels), ${probe.masker} masker`,
        probeChangeText(probe, activation),
        `By ${probe.author}, ${reportTime(probe.createdAt)}`,
      ].join('\n'),
    };
    const raster = await probeRaster(previewPng, probe);
    const thumb = raster ? fitImage(probe.mask.width, probe.mask.height, PROBE_THUMB, PROBE_THUMB) : null;
    const textLayout = thumb ? { x: flow.left + PROBE_THUMB + 10, width: flow.width - PROBE_THUMB - 10, keyWidth: 52 } : {};
    // The thumbnail and its text move to the next page together.
    flow.ensure(Math.max(thumb ? thumb.height + 6 : 0, flow.keyValuesHeight([row], textLayout)));
    const y = doc.y;
    if (raster && thumb) doc.image(raster, flow.left, y, { width: thumb.width, height: thumb.height });
    flow.keyValues([row], textLayout);
    doc.y = Math.max(doc.y, y + (thumb ? thumb.height + 6 : 0));
  }
}

function annotationSection(flow: PageFlow, annotations: readonly Annotation[]): void {
  flow.heading('Annotations');
  if (annotations.length === 0) {
    flow.paragraph('No annotations.', { color: INK.muted });
    return;
  }
  flow.keyValues(
    annotations.map((a, i) => ({
      key: `${i + 1}. ${a.kind}`,
      value: `${a.label ? `“${a.label}”, ` : ''}${a.points.length} point${a.points.length === 1 ? '' : 's'}, by ${a.author}, ${reportTime(a.updatedAt)}${a.note ? `. Note: ${a.note}` : ''}`,
    })),
  );
}

function verdictSection(flow: PageFlow, data: ReportData): void {
  flow.heading('Verdict and notes');
  const r = data.review;
  if (r) {
    flow.keyValues([
      { key: 'Prediction verdict', value: r.predictionVerdict },
      { key: 'Explanation verdict', value: r.explanationVerdict },
      { key: 'Reviewer', value: `${r.reviewer}, ${reportTime(r.createdAt)}, revision ${r.revision}` },
    ]);
    if (r.comment) {
      flow.heading('Reviewer’s comment', 2, 24);
      flow.paragraph(r.comment);
    }
  } else flow.paragraph('No verdict is recorded.', { color: INK.muted });
  flow.heading('Case note', 2, 24);
  flow.paragraph(data.caseInfo.note || 'No note.', { color: data.caseInfo.note ? INK.text : INK.muted });
}

function signatureSection(flow: PageFlow, data: ReportData): void {
  flow.heading('Signature', 1, 90);
  const { caseInfo, signatures } = data;
  if (signatures.length === 0) {
    flow.paragraph(`Not signed: this report shows revision ${caseInfo.revision} as a draft.`, { font: 'bold', color: INK.warn });
    return;
  }
  for (const s of signatures) {
    flow.keyValues([
      { key: 'Signed by', value: s.signer },
      { key: 'Signed at', value: reportTime(s.signedAt) },
      { key: 'Meaning', value: s.meaning },
      { key: 'Revision', value: String(s.revision) },
      { key: 'Record SHA-256', value: s.recordSha256, mono: true },
    ]);
    flow.gap(4);
  }
  const latest = signatures.at(-1)!;
  if (latest.revision < caseInfo.revision) {
    flow.paragraph(`Revision ${caseInfo.revision} is not signed: the case changed after the signature of revision ${latest.revision}.`, { font: 'bold', color: INK.warn });
  }
  flow.paragraph('Each signature binds the signer’s name, the time and the meaning to the SHA-256 of the case record as it stood (21 CFR 11.50, 11.70).', { size: SIZE.small, color: INK.muted });
}
