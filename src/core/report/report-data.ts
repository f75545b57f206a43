// What a PDF case report shows, as plain data: built from a stored case (its record, the stored
// explanations with their maps, the image as the viewer shows it) and the report settings. The PDF
// composer reads only this, so the same data always gives the same document.
import type { Agreement, Annotation, CaseDetail, DisplaySettings, Review, Signature, StoredPrediction } from '../../api/case-schemas';
import type { ReportPageSize } from '../../api/report-schemas';
import type { Activation, Explanation, StoredProbe } from '../../api/schemas';
import { defaultColormap, isColormapId, type ColormapId } from '../display/colormap';

export type PageSize = ReportPageSize;

/** One explanation as the report shows it: the stored result, its method's name, agreement and look. */
export interface ReportExplanation {
  record: Explanation;
  methodLabel: string;
  seed: number | null;
  agreement: Agreement | null;
  look: { colormap: ColormapId; opacity: number; threshold: number };
}

/** A probe saved as a counterfactual, with the activation its scores came from (null: not known). */
export interface ReportProbe {
  probe: StoredProbe;
  activation: Activation | null;
}

/** Technical DICOM attributes only: nothing that identifies the patient, the study or the site. */
export interface ReportDicomFacts {
  modality: string | null;
  photometric: string | null;
  transferSyntax: string | null;
  frames: number | null;
  bitsStored: number | null;
  lossy: boolean | null;
  burnedInAnnotation: string | null;
}

export interface ReportData {
  pageSize: PageSize;
  /** when the report was made (ISO 8601, UTC): its date in the header and in the PDF's metadata */
  generatedAt: string;
  appVersion: string;
  institution: string | null;
  caseInfo: { pseudonym: string; status: string; revision: number; createdAt: string; createdBy: string; note: string };
  image: {
    /** the image as the viewer shows it (PNG data URL); '' when there is none (e.g. some tensors) */
    previewPng: string;
    width: number;
    height: number;
    format: string;
    channels: number;
    bitDepth: number;
    sha256: string;
    dicom: ReportDicomFacts | null;
  } | null;
  annotations: Annotation[];
  prediction: StoredPrediction | null;
  /** every stored explanation, in the order they were made */
  explanations: ReportExplanation[];
  /** the index in `explanations` drawn over the image at the top (the one the viewer shows) */
  figureIndex: number | null;
  review: Review | null;
  signatures: Signature[];
  /** probes saved as counterfactuals, oldest first (no section when there are none) */
  probes: ReportProbe[];
}

export interface CaseReportSources {
  detail: CaseDetail;
  /** the stored explanations with their maps (CaseStore.explanationRecords) */
  records: Explanation[];
  previewPng: string;
  methodLabels: ReadonlyMap<string, string>;
  pageSize: PageSize;
  generatedAt: string;
  appVersion: string;
  institution: string | null;
}

const DEFAULT_OPACITY = 0.5;

function lookOf(record: Explanation, saved: DisplaySettings | undefined): ReportExplanation['look'] {
  const colormap = saved && isColormapId(saved.colormap) ? saved.colormap : defaultColormap(record.signed);
  return { colormap, opacity: saved?.opacity ?? DEFAULT_OPACITY, threshold: saved?.threshold ?? 0 };
}

function dicomFacts(dicom: Record<string, unknown> | null): ReportDicomFacts | null {
  if (!dicom) return null;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const count = (v: unknown) => (typeof v === 'number' ? v : null);
  const syntax = dicom.transferSyntax as { name?: unknown } | undefined;
  return {
    modality: text(dicom.modality),
    photometric: text(dicom.photometric),
    transferSyntax: text(syntax?.name),
    frames: count(dicom.frames),
    bitsStored: count(dicom.bitsStored),
    lossy: typeof dicom.lossy === 'boolean' ? dicom.lossy : null,
    burnedInAnnotation: text(dicom.burnedInAnnotation),
  };
}

/** The case's probes; their scores read as the activation of a prediction by the same model, when there is one. */
function reportProbes(detail: CaseDetail): ReportProbe[] {
  const activations = new Map(detail.predictions.map((p) => [p.modelSha256, p.activation]));
  return (detail.probes ?? []).map((probe) => ({ probe, activation: activations.get(probe.modelSha256) ?? null }));
}

/** The report's data for a stored case. */
export function caseReportData(sources: CaseReportSources): ReportData {
  const { detail } = sources;
  const stored = new Map(detail.explanations.map((e) => [e.id, e]));
  const explanations = sources.records.map((record): ReportExplanation => {
    const meta = record.recordId ? stored.get(record.recordId) : undefined;
    const statsSeed = record.stats?.seed;
    return {
      record,
      methodLabel: sources.methodLabels.get(record.method) ?? record.method,
      seed: meta?.seed ?? (typeof statsSeed === 'number' ? statsSeed : null),
      agreement: meta?.agreement ?? null,
      look: lookOf(record, record.recordId ? detail.view.display[record.recordId] : undefined),
    };
  });
  const shown = explanations.findIndex((e) => e.record.recordId === detail.view.explanationId);
  const { summary, image } = detail;
  return {
    pageSize: sources.pageSize,
    generatedAt: sources.generatedAt,
    appVersion: sources.appVersion,
    institution: sources.institution,
    caseInfo: { pseudonym: summary.pseudonym, status: summary.status, revision: summary.revision, createdAt: summary.createdAt, createdBy: summary.createdBy, note: summary.note },
    image: image && {
      previewPng: sources.previewPng,
      width: image.width,
      height: image.height,
      format: image.format,
      channels: image.channels,
      bitDepth: image.bitDepth,
      sha256: image.sha256,
      dicom: dicomFacts(image.dicom),
    },
    annotations: detail.annotations,
    prediction: detail.predictions.at(-1) ?? null,
    explanations,
    figureIndex: shown >= 0 ? shown : explanations.length > 0 ? explanations.length - 1 : null,
    review: detail.reviews.at(-1) ?? null,
    signatures: detail.signatures,
    probes: reportProbes(detail),
  };
}
