// The case procedures of the api, as the engine runs them: the store of the engine's data folder
// (opened on first use) plus what only the engine knows — which images and models are open,
// predicting, and reopening a case's image and model. The engine delegates to this class.
import { ApiError, type ProcOutput, type ProcParsedInput } from '../../api/contract';
import type { CaseDetail } from '../../api/case-schemas';
import type { Intervention } from '../../api/demo-schemas';
import type { TrustMetrics } from '../../api/metrics-schemas';
import type { Explanation, InputInfo, ModelInfo, Prediction } from '../../api/schemas';
import { exportCaseReport } from '../report/case-report';
import { CaseStore, type ProbeRecord } from './case-store';
import type { Who } from './audit';

/** What the case procedures need from the engine that owns them. */
export interface EngineAccess {
  /** the data folder (Electron userData, --data, SIGHTLINE_DATA_DIR or the platform default) */
  dataDir: string;
  /** who changes records when a request names nobody */
  defaultActor: string;
  openInputInfo(inputId: string): InputInfo;
  openInput(path: string): Promise<InputInfo>;
  openModel(path: string): Promise<ModelInfo>;
  predict(input: ProcParsedInput<'predict'>): Promise<Prediction>;
  dicomInfo(inputId: string): Promise<ProcOutput<'dicomInfo'>>;
}

/** The technical DICOM attributes a case keeps with its image (no patient identity is among them). */
function dicomRecord(info: ProcOutput<'dicomInfo'>): Record<string, unknown> {
  const { transferSyntax, modality, photometric, rows, columns, frames, samplesPerPixel, bitsAllocated, bitsStored, pixelRepresentation, invert, lossy, burnedInAnnotation, modalityStep } = info;
  const presets = info.presets.map((p) => (p.kind === 'window' ? { id: p.id, label: p.label, window: p.window } : { id: p.id, label: p.label, lut: { bits: p.lut.bits, entries: p.lut.data.length } }));
  return { transferSyntax, modality, photometric, rows, columns, frames, samplesPerPixel, bitsAllocated, bitsStored, pixelRepresentation, invert, lossy, burnedInAnnotation, modalityStep, presets };
}

export class CaseProcedures {
  private store: Promise<CaseStore> | null = null;

  constructor(private readonly engine: EngineAccess) {}

  /** The store, opened once; a failed open is retried on the next call. */
  cases(): Promise<CaseStore> {
    if (!this.store) {
      this.store = CaseStore.open(this.engine.dataDir);
      this.store.catch(() => (this.store = null));
    }
    return this.store;
  }

  async close(): Promise<void> {
    const store = this.store;
    this.store = null;
    if (store) (await store.catch(() => null))?.close();
  }

  private who(actor?: string): Who {
    return { actor: actor ?? this.engine.defaultActor };
  }

  async create(input: ProcParsedInput<'caseCreate'>): Promise<CaseDetail> {
    const info = this.engine.openInputInfo(input.inputId);
    const store = await this.cases();
    const dicom = info.format === 'dicom' ? dicomRecord(await this.engine.dicomInfo(info.id)) : null;
    const created = await store.createCase(
      {
        path: info.path,
        sha256: info.id,
        name: info.name,
        kind: info.kind,
        format: info.format,
        width: info.width,
        height: info.height,
        channels: info.channels,
        bitDepth: info.bitDepth,
        dicom,
      },
      { pseudonym: input.pseudonym, note: input.note },
      this.who(input.actor),
    );
    if (!input.modelId) return created;
    await this.engine.predict({ modelId: input.modelId, inputId: input.inputId, caseId: created.summary.id });
    return store.detail(created.summary.id);
  }

  /** Fails fast, before a long computation, when a request names a case that does not exist. */
  async requireCase(caseRef: string | undefined): Promise<void> {
    if (caseRef) (await this.cases()).requireCase(caseRef);
  }

  /** Stores a prediction made for a case and returns it with its record id. */
  async recordPrediction(caseRef: string | undefined, model: ModelInfo, prediction: Prediction): Promise<Prediction> {
    if (!caseRef) return prediction;
    const recordId = (await this.cases()).addPrediction(caseRef, model, prediction, this.who());
    return { ...prediction, recordId };
  }

  /** Stores an explanation made for a case (with the model's prediction, made if missing). */
  async recordExplanation(caseRef: string | undefined, model: ModelInfo, result: Explanation): Promise<Explanation> {
    if (!caseRef) return result;
    const store = await this.cases();
    let predictionId = store.latestPredictionId(caseRef, model.sha256);
    if (!predictionId) predictionId = (await this.engine.predict({ modelId: model.id, inputId: result.inputId, caseId: caseRef })).recordId ?? null;
    return { ...result, recordId: store.addExplanation(caseRef, result, predictionId, this.who()) };
  }

  /** Stores a concept intervention made for a case and returns it with its record id. */
  async recordIntervention(caseRef: string | undefined, model: ModelInfo, result: Intervention, actor?: string): Promise<Intervention> {
    if (!caseRef) return result;
    return { ...result, recordId: (await this.cases()).addIntervention(caseRef, model.sha256, result, this.who(actor)) };
  }

  /** Stores a probe made on the case's image as a counterfactual and returns the case. */
  async recordProbe(caseRef: string, probe: ProbeRecord, actor?: string): Promise<CaseDetail> {
    const store = await this.cases();
    store.addProbe(caseRef, probe, this.who(actor));
    return store.detail(caseRef);
  }

  /** Keeps trust metrics with a stored explanation of the case. */
  async recordTrustMetrics(caseRef: string, explanationId: string, metrics: TrustMetrics): Promise<void> {
    (await this.cases()).setTrustMetrics(caseRef, explanationId, metrics);
  }

  async list(query: ProcParsedInput<'caseList'>): Promise<ProcOutput<'caseList'>> {
    return (await this.cases()).list(query);
  }

  async search(input: ProcParsedInput<'caseSearch'>): Promise<ProcOutput<'caseSearch'>> {
    return { hits: (await this.cases()).search(input.text, input.limit) };
  }

  async get(input: ProcParsedInput<'caseGet'>): Promise<CaseDetail> {
    return (await this.cases()).detail(input.caseId);
  }

  /** Reopens a case: its image in the engine, its model when the file is still there, its overlays. */
  async open(input: ProcParsedInput<'caseOpen'>): Promise<ProcOutput<'caseOpen'>> {
    const store = await this.cases();
    const detail = store.detail(input.caseId);
    const warnings: string[] = [];
    let opened: InputInfo | null = null;
    const imagePath = store.imagePath(input.caseId);
    if (imagePath && detail.image) {
      try {
        opened = { ...(await this.engine.openInput(imagePath)), name: detail.image.fileName };
      } catch (error) {
        warnings.push(`The stored image could not be opened: ${(error as Error).message}`);
      }
    }
    let model: ModelInfo | null = null;
    const latest = detail.predictions.at(-1);
    if (latest) {
      try {
        model = await this.engine.openModel(latest.modelPath);
        if (model.sha256 !== latest.modelSha256) {
          warnings.push(`The model at ${latest.modelPath} has changed since this case was predicted (SHA-256 ${model.sha256.slice(0, 12)}…, stored ${latest.modelSha256.slice(0, 12)}…)`);
        }
      } catch {
        warnings.push(`The model ${latest.modelName} is no longer at ${latest.modelPath}: stored results are shown; open the model to run new explanations`);
      }
    }
    const explanations = opened ? store.explanationRecords(input.caseId, opened.id) : [];
    return { detail, input: opened, model, explanations, warnings };
  }

  async update(input: ProcParsedInput<'caseUpdate'>): Promise<CaseDetail> {
    const store = await this.cases();
    if (input.note === undefined) return store.detail(input.caseId);
    return store.updateNote(input.caseId, input.note, this.who(input.actor));
  }

  async setView(input: ProcParsedInput<'caseSetView'>): Promise<CaseDetail> {
    return (await this.cases()).setView(input.caseId, input.view, this.who(input.actor));
  }

  async saveAnnotations(input: ProcParsedInput<'caseSaveAnnotations'>): Promise<CaseDetail> {
    return (await this.cases()).saveAnnotations(input.caseId, input.annotations, this.who(input.actor));
  }

  async review(input: ProcParsedInput<'caseReview'>): Promise<CaseDetail> {
    const { predictionVerdict, explanationVerdict, comment } = input;
    return (await this.cases()).review(input.caseId, { predictionVerdict, explanationVerdict, comment }, this.who(input.actor));
  }

  async sign(input: ProcParsedInput<'caseSign'>): Promise<CaseDetail> {
    if (input.actor && input.actor !== input.signer) throw new ApiError('BAD_PARAMS', 'A signature is made by its signer: actor and signer differ');
    return (await this.cases()).sign(input.caseId, input.signer, input.meaning, this.who(input.signer));
  }

  async verify(): Promise<ProcOutput<'caseVerify'>> {
    return (await this.cases()).verify();
  }

  /** The case's PDF report (core/report), written or returned as bytes, and audited as an export. */
  async report(input: ProcParsedInput<'caseReport'>): Promise<ProcOutput<'caseReport'>> {
    const access = { store: await this.cases(), openInput: (path: string) => this.engine.openInput(path) };
    return exportCaseReport(access, input, this.who(input.actor));
  }
}
