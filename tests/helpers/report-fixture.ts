// A fixed report for the PDF tests: a synthetic image with a known gradient, explanations whose maps
// are known cell by cell, annotations, a prediction, a verdict and a signature, every time fixed, so
// the report is the same bytes on every run (the golden image of page 1 depends on that).
import sharp from 'sharp';
import type { Agreement, Annotation } from '../../src/api/case-schemas';
import type { ReportData, ReportExplanation } from '../../src/core/report/report-data';
import { syntheticExplanation } from './case-records';

export const FIXED_TIME = '2026-01-02T03:04:05.000Z';
export const FIXED_MODEL_SHA = '5e1f'.repeat(16);
export const FIXED_IMAGE_SHA = '0c7a'.repeat(16);

/** A width × height RGB image: a soft diagonal gradient with a bright disc at (0.35, 0.4). */
export async function syntheticImagePng(width: number, height: number): Promise<string> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const disc = Math.hypot(x / width - 0.35, y / height - 0.4) < 0.18 ? 90 : 0;
      const base = 40 + Math.round((120 * (x + y)) / (width + height));
      raw.set([Math.min(255, base + disc), Math.min(255, base + disc), Math.min(255, base + 10 + disc)], (y * width + x) * 3);
    }
  }
  const png = await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

export function fixedAgreement(hit: boolean, massInside: number): Agreement {
  return { pointingHit: hit, pointingAt: [40.5, 36.5], massInside, topKIoU: 0.412, topKPercent: 20, regionCells: 12, mapCells: 48, computedAt: FIXED_TIME };
}

export const FIXED_ANNOTATIONS: Annotation[] = [
  { id: 'a1', kind: 'polygon', points: [[30, 24], [70, 20], [74, 56], [28, 60]], label: 'lesion', note: 'irregular margin', author: 'dr.reader', createdAt: FIXED_TIME, updatedAt: FIXED_TIME },
  { id: 'a2', kind: 'arrow', points: [[80, 40], [110, 70]], label: 'rib', note: '', author: 'dr.reader', createdAt: FIXED_TIME, updatedAt: FIXED_TIME },
];

/** The nth fixed explanation: a map peaking at a different place per n, distinct parameters. */
export function fixedExplanation(n: number, options: { agreement?: Agreement | null; signed?: boolean } = {}): ReportExplanation {
  const peakRow = 2 + (n % 4);
  const peakCol = 3 + (n % 5);
  const record = syntheticExplanation(6, 8, (r, c) => (options.signed === false ? 1 : 0.5) * Math.exp(-((r - peakRow) ** 2 + (c - peakCol) ** 2) / 3) - (options.signed === false ? 0 : 0.1), {
    modelSha256: FIXED_MODEL_SHA,
    startedAt: FIXED_TIME,
    durationMs: 120 + n,
    evaluations: 40 + n,
    signed: options.signed ?? true,
    params: { window: [3, 2 + n, 2 + n], strides: [3, 1 + n, 1 + n], baseline: 0, batchSize: 32 },
    recordId: `record-${n}`,
  });
  return {
    record,
    methodLabel: 'Occlusion',
    seed: null,
    agreement: options.agreement === undefined ? fixedAgreement(n % 2 === 0, 0.6) : options.agreement,
    look: { colormap: record.signed ? 'rdbu' : 'viridis', opacity: 0.5, threshold: 0 },
  };
}

/** The fixed report: 120 × 90 image, `explanations` explanations (the first shown). */
export async function fixedReportData(explanations = 2, pageSize: ReportData['pageSize'] = 'A4'): Promise<ReportData> {
  return {
    pageSize,
    generatedAt: FIXED_TIME,
    appVersion: '0.1.0',
    institution: 'Example Teaching Hospital, Radiology',
    caseInfo: { pseudonym: 'SL-GOLD-0001', status: 'signed', revision: 1, createdAt: FIXED_TIME, createdBy: 'dr.reader', note: 'Follow-up of a right upper lobe opacity.' },
    image: { previewPng: await syntheticImagePng(120, 90), width: 120, height: 90, format: 'png', channels: 3, bitDepth: 8, sha256: FIXED_IMAGE_SHA, dicom: null },
    annotations: FIXED_ANNOTATIONS,
    prediction: {
      id: 'prediction-1',
      modelSha256: FIXED_MODEL_SHA,
      modelName: 'chest-tiny',
      modelVersion: '1.2.0',
      modelPath: '/models/chest-tiny.onnx',
      provider: 'cpu',
      activation: 'softmax',
      logits: [0.1, 2.3, -0.4],
      probabilities: [0.09, 0.83, 0.08],
      top: [
        { index: 1, label: 'effusion', score: 0.83 },
        { index: 0, label: 'normal', score: 0.09 },
        { index: 2, label: 'nodule', score: 0.08 },
      ],
      createdAt: FIXED_TIME,
    },
    explanations: Array.from({ length: explanations }, (_, n) => fixedExplanation(n)),
    figureIndex: explanations > 0 ? 0 : null,
    review: { id: 'review-1', revision: 1, predictionVerdict: 'disagree', explanationVerdict: 'uncertain', comment: 'The map sits on the rib, not on the effusion.', reviewer: 'dr.reader', createdAt: FIXED_TIME },
    signatures: [{ id: 'signature-1', revision: 1, signer: 'Dr. A. Reader', meaning: 'review', signedAt: FIXED_TIME, recordSha256: 'ab12'.repeat(16) }],
    probes: [],
  };
}
