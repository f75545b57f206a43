// The engine: the api's procedures implemented in-process on onnxruntime, sharp and the explainer
// registry. It runs inside a worker thread for the Electron main process and the host (its
// onnxruntime calls block their thread), and directly in the CLI.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, extname } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { ApiError, cancellation, type CallContext, type ProcOutput, type ProcParsedInput, type SightlineImpl } from '../api/contract';
import { DISCLAIMER, type AppInfo, type InputInfo, type ModelInfo, type Prediction, type ProviderPreference } from '../api/schemas';
import { APP_NAME, APP_VERSION } from '../api/version';
import { applyDisplaySteps, valueRange } from './display/steps';
import { resolveParams } from './explain/params';
import { getExplainer, listMethods } from './explain/registry';
import type { ExplainOutput, ForwardRunner, GradientRunner, ResolvedParams } from './explain/types';
import { createGradientRunner } from './autodiff/gradient-runner';
import { decodeImage, previewPng, type DecodedImage } from './image/decode';
import type { DicomImage } from './dicom/dicom-image';
import { dicomModelImage, resolveDicomInput } from './dicom/model-input';
import { DicomProcedures, isDicomInput } from './dicom/procedures';
import { fitImageSize, imageToTensor } from './image/preprocess';
import { loadModelCard, modelInputDims, resolveModelInfo } from './model/card';
import { readOnnxModel } from './model/onnx-info';
import { SessionCache, type SessionOptions } from './model/session';
import { ProbeCache, resolveMaskerSettings } from './explain/perturbation/probe';
import { pngDataUrl } from './image/data-url';
import { pixelImageFromDecoded } from './image/pixels';
import type { PixelImage } from './segmentation/types';
import { defaultDataDir } from './paths';
import { CaseProcedures } from './store/case-procedures';
import { caseOrNull, seedDemo, type SeededDemo } from './demo/seed';
import { readMask } from './demo/demo-assets';
import { activate, argmax, checkTarget, topClasses } from './model/activation';
import { applyOverrides, conceptOutput, conceptValues, labelHeadLogits, requireConcepts } from './model/concepts';
import { TrustProcedure } from './metrics/trust-procedure';
import { parseNpy, type Float32Tensor } from './tensor/npy';
import { toWire } from './tensor/wire';

export interface EngineOptions extends SessionOptions {
  /** where the case database and stored images live (default: SIGHTLINE_DATA_DIR or the platform data folder) */
  dataDir?: string;
  /** who records changes when a request names nobody (default: the OS user) */
  actor?: string;
  transport?: AppInfo['transport'];
  defaultProvider?: ProviderPreference;
  /** resources/demo: seeds the sample cases on first run and opens the demo CNN (absent: no demo) */
  demoDir?: string;
}

interface OpenInput {
  info: InputInfo;
  image: DecodedImage | null;
  tensor: Float32Tensor | null;
  /** DICOM inputs: the image the card's `dicom` section turns into the model's image */
  dicom?: DicomImage;
}

interface PreparedInput {
  tensor: Float32Tensor;
  region: { x: number; y: number; width: number; height: number };
  /** the image at model resolution in unit range, for superpixels (absent for tensor inputs) */
  pixels?: PixelImage;
}

export class Engine implements SightlineImpl {
  private readonly models = new Map<string, ModelInfo>();
  private readonly inputs = new Map<string, OpenInput>();
  private readonly prepared = new Map<string, Promise<PreparedInput>>();
  private readonly sessions: SessionCache;
  private readonly gradientRunners = new Map<string, GradientRunner>();
  private readonly probes = new ProbeCache();
  private readonly caseProcedures: CaseProcedures;
  private readonly dicomProcedures = new DicomProcedures();
  private demo: Promise<SeededDemo | null> | null = null;

  constructor(private readonly options: EngineOptions = {}) {
    this.sessions = new SessionCache(options);
    this.caseProcedures = new CaseProcedures({
      dataDir: options.dataDir ?? defaultDataDir(),
      defaultActor: options.actor ?? osUser(),
      openInputInfo: (inputId) => this.openedInput(inputId).info,
      openInput: (path) => this.openInput({ path }),
      dicomInfo: (inputId) => this.dicomInfo({ inputId }),
      openModel: (path) => this.openModel({ path }),
      predict: (input) => this.predict(input),
    });
  }

  async info(): Promise<AppInfo> {
    return { name: APP_NAME, version: APP_VERSION, disclaimer: DISCLAIMER, transport: this.options.transport ?? 'cli' };
  }

  async methods(): Promise<ProcOutput<'methods'>> {
    return listMethods();
  }

  async openModel(input: ProcParsedInput<'openModel'>): Promise<ModelInfo> {
    const onnx = await readOnnxModel(input.path);
    const card = await loadModelCard(input.path, onnx);
    const info = resolveModelInfo(onnx.sha256, input.path, onnx, card);
    // Open the session now, so that a model onnxruntime cannot run is refused at once.
    await this.sessions.get(info.path, info.sha256, this.provider());
    // The id is the ONNX file's hash, so a re-opened model may come with a changed card: inputs
    // prepared with the old preprocessing must not be reused.
    for (const key of this.prepared.keys()) if (key.startsWith(`${info.id}|`)) this.prepared.delete(key);
    this.models.set(info.id, info);
    return info;
  }

  async openInput(input: ProcParsedInput<'openInput'>): Promise<InputInfo> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(input.path);
    } catch (error) {
      throw new ApiError('NOT_FOUND', `Cannot read ${input.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const id = createHash('sha256').update(bytes).digest('hex');
    const name = basename(input.path);
    let open: OpenInput;
    if (extname(input.path).toLowerCase() === '.npy') {
      const tensor = parseNpy(bytes, name);
      open = {
        info: { id, path: input.path, name, kind: 'tensor', format: 'npy', width: tensor.shape.at(-1) ?? 0, height: tensor.shape.at(-2) ?? 0, channels: tensor.shape.length >= 3 ? tensor.shape.at(-3)! : 1, bitDepth: 32, shape: tensor.shape, previewPng: await tensorPreview(tensor) },
        image: null,
        tensor,
      };
    } else if (isDicomInput(input.path, bytes)) {
      const { info, dicom } = await this.dicomProcedures.open(bytes, id, input.path);
      open = { info, image: null, tensor: null, dicom };
    } else {
      const image = await decodeImage(bytes, name);
      const png = await previewPng(bytes);
      open = {
        info: { id, path: input.path, name, kind: 'image', format: image.format, width: image.width, height: image.height, channels: image.channels, bitDepth: image.bitDepth, shape: null, previewPng: pngDataUrl(png) },
        image,
        tensor: null,
      };
    }
    this.inputs.set(id, open);
    return open.info;
  }

  async predict(input: ProcParsedInput<'predict'>): Promise<Prediction> {
    const model = this.model(input.modelId);
    const { tensor } = await this.prepare(model, input.inputId);
    const forward = await this.forwardRunner(model, input.provider);
    const started = performance.now();
    // one run gives the logits and, for a concept model, its concept values
    const { logits, outputs } = await forward.runWithOutputs(tensor.data, 1, model.concepts ? [model.concepts.output] : []);
    const durationMs = performance.now() - started;
    const probabilities = activate(logits, model.activation);
    const concepts = model.concepts ? conceptOutput(model, outputs) : null;
    return this.caseProcedures.recordPrediction(input.caseId, model, {
      logits: [...logits],
      probabilities,
      top: topClasses(model, probabilities),
      activation: model.activation,
      provider: forward.provider,
      modelSha256: model.sha256,
      durationMs,
      ...(concepts && model.concepts ? { concepts: model.concepts.names.map((name, index) => ({ index, name, value: concepts[index] })) } : {}),
    });
  }

  async explain(request: ProcParsedInput<'explain'>, ctx: CallContext = {}): Promise<ProcOutput<'explain'>> {
    const model = this.model(request.modelId);
    await this.caseProcedures.requireCase(request.caseId);
    const explainer = getExplainer(request.method);
    const params = resolveParams(request.method, explainer.info.params, request.params);
    const { tensor, region, pixels } = await this.prepare(model, request.inputId);
    const forward = await this.forwardRunner(model, request.provider);
    const startedAt = new Date();
    const started = performance.now();
    let target = request.target;
    if (target === undefined) {
      const logits = await forward.run(tensor.data, 1);
      target = argmax(logits);
    } else {
      checkTarget(model, target);
    }
    const checkCancelled = cancellation(ctx, 'The explanation was cancelled');
    checkCancelled();
    const output = await explainer.run({
      model,
      input: tensor,
      target,
      params,
      forward,
      gradients: this.gradientRunner(model, request.provider),
      progress: (done, total, message) => ctx.onProgress?.({ done, total, message }),
      checkCancelled,
      pixels,
      modelTensorOf: (path) => this.modelTensorOfPath(model, path),
    });
    const durationMs = performance.now() - started;
    const heatmap = displayMap(output, model);
    return this.caseProcedures.recordExplanation(request.caseId, model, {
      method: explainer.info.id,
      params,
      target,
      targetLabel: model.labels[target] ?? `class ${target}`,
      modelSha256: model.sha256,
      inputId: request.inputId,
      provider: output.provider ?? forward.provider,
      startedAt: startedAt.toISOString(),
      durationMs,
      evaluations: output.evaluations,
      meaning: explainer.info.output.meaning,
      unit: explainer.info.output.unit,
      signed: output.heatmapSigned ?? explainer.info.output.signed,
      attribution: toWire(output.attribution),
      display: output.display,
      heatmap: toWire(heatmap),
      heatmapRange: valueRange(heatmap.data),
      attributionRange: valueRange(output.attribution.data),
      overlayRegion: region,
      ...(output.stats ? { stats: output.stats } : {}),
    });
  }

  /** Hides the painted pixels with a masker and reports the prediction change (cached base, one forward pass). */
  async probe(request: ProcParsedInput<'probe'>): Promise<ProcOutput<'probe'>> {
    const model = this.model(request.modelId);
    const { tensor, pixels } = await this.prepare(model, request.inputId);
    const forward = await this.forwardRunner(model, request.provider);
    return this.probes.probe({
      model,
      inputId: request.inputId,
      tensor,
      pixels,
      forward,
      target: request.target,
      mask: request.mask,
      masker: request.masker,
      maskerParams: request.maskerParams,
      preview: request.preview,
    });
  }

  /**
   * Saves a probe to a case as a counterfactual. The probe is rerun here, so what is stored is what
   * the model says, never numbers a client sent; the store checks that the input is the case's image.
   */
  async probeSave(request: ProcParsedInput<'probeSave'>): Promise<ProcOutput<'probeSave'>> {
    await this.caseProcedures.requireCase(request.caseId);
    const model = this.model(request.modelId);
    const result = await this.probe({ ...request, preview: false });
    const { region } = await this.prepare(model, request.inputId);
    const { masker: _masker, ...maskerParams } = resolveMaskerSettings(request.masker, request.maskerParams);
    return this.caseProcedures.recordProbe(
      request.caseId,
      { modelSha256: model.sha256, inputSha256: request.inputId, mask: request.mask, region, maskerParams, result, note: request.note },
      request.actor,
    );
  }

  /**
   * What the app opens with: with a demo folder, the sample cases (seeded once into the data
   * folder) and the demo CNN, opened. Memoised: the host calls it at start, the UI again on load.
   */
  async startup(): Promise<ProcOutput<'startup'>> {
    const demoDir = this.options.demoDir;
    if (!demoDir) return { demo: null };
    if (!this.demo) {
      this.demo = seedDemo(
        {
          openModel: (path) => this.openModel({ path }),
          openInput: (path) => this.openInput({ path }),
          findCase: (ref) => caseOrNull(() => this.caseProcedures.get({ caseId: ref })),
          createCase: (input) => this.caseProcedures.create({ ...input, actor: 'sightline demo' }),
        },
        demoDir,
      );
      this.demo.catch(() => (this.demo = null));
    }
    const seeded = await this.demo;
    return { demo: seeded ? { ...seeded.startup, model: this.models.get(seeded.startup.model.id) ?? seeded.startup.model } : null };
  }

  /** A concept intervention: the model's concept values with the clinician's overrides, through the label head alone. */
  async intervene(input: ProcParsedInput<'intervene'>): Promise<ProcOutput<'intervene'>> {
    const model = this.model(input.modelId);
    requireConcepts(model);
    await this.caseProcedures.requireCase(input.caseId);
    const { tensor } = await this.prepare(model, input.inputId);
    const preference = this.provider();
    const predicted = await conceptValues(this.sessions, model, tensor.data, preference);
    const concepts = applyOverrides(predicted, input.overrides);
    const logits = await labelHeadLogits(this.sessions, model, concepts, preference);
    const probabilities = activate(logits, model.activation);
    const result = { concepts, predictedConcepts: Array.from(predicted), overrides: input.overrides, logits: Array.from(logits), probabilities, top: topClasses(model, probabilities) };
    return this.caseProcedures.recordIntervention(input.caseId, model, result, input.actor);
  }

  /** Trust metrics of an explanation (deletion, insertion, ROAD, randomisation, localisation), stored with the case's explanation when named. */
  async trustMetrics(request: ProcParsedInput<'trustMetrics'>, ctx: CallContext = {}): Promise<ProcOutput<'trustMetrics'>> {
    const model = this.model(request.modelId);
    const { tensor } = await this.prepare(model, request.inputId);
    const metrics = await new TrustProcedure({
      model,
      tensor,
      forward: await this.forwardRunner(model, request.provider),
      groundTruth: () => this.demoMask(request.inputId),
      explainMap: (variant, sessions, scratchDir) => this.explainMapOn(variant, request, sessions, scratchDir),
      preference: this.provider(request.provider),
      sessionOptions: this.options,
    }).run(request, ctx);
    if (request.caseId && request.explanationId) await this.caseProcedures.recordTrustMetrics(request.caseId, request.explanationId, metrics);
    return request.explanationId ? { ...metrics, explanationId: request.explanationId } : metrics;
  }

  /** The demo sample's ground-truth lesion mask for an input, when it is one. */
  private async demoMask(inputId: string): Promise<Uint8Array | null> {
    const seeded = this.demo ? await this.demo.catch(() => null) : null;
    const path = seeded?.masks.get(inputId);
    return path ? (await readMask(path)).cells : null;
  }

  /** The display map of the request's explanation on a model variant (a randomised copy), with its own sessions and gradient-model folder. */
  private async explainMapOn(variant: ModelInfo, request: ProcParsedInput<'trustMetrics'>, sessions: SessionCache, scratchDir: string): Promise<Float32Array> {
    const explainer = getExplainer(request.explanation.method);
    const params: ResolvedParams = resolveParams(request.explanation.method, explainer.info.params, request.explanation.params);
    const { tensor, pixels } = await this.prepare(this.model(request.modelId), request.inputId);
    const preference = this.provider(request.provider);
    const output = await explainer.run({
      model: variant,
      input: tensor,
      target: request.explanation.target,
      params,
      forward: await forwardRunnerOf(variant, sessions, preference),
      gradients: createGradientRunner({ model: variant, sessions, preference, cacheDir: scratchDir }),
      progress: () => undefined,
      checkCancelled: () => undefined,
      pixels,
      modelTensorOf: async (path) => this.modelTensorOfPath(this.model(request.modelId), path),
    });
    return displayMap(output, variant).data;
  }

  /** The exact tensor the model sees for an input (cached per model and input). */
  async modelTensor(modelId: string, inputId: string): Promise<Float32Tensor> {
    return (await this.prepare(this.model(modelId), inputId)).tensor;
  }

  /** The exact tensor the model sees for an image file, opened as an input first. */
  private async modelTensorOfPath(model: ModelInfo, path: string): Promise<Float32Tensor> {
    return (await this.prepare(model, (await this.openInput({ path })).id)).tensor;
  }

  // Case review: the store and its procedures live in store/case-procedures.ts.
  caseCreate(input: ProcParsedInput<'caseCreate'>) {
    return this.caseProcedures.create(input);
  }
  caseList(input: ProcParsedInput<'caseList'>) {
    return this.caseProcedures.list(input);
  }
  caseSearch(input: ProcParsedInput<'caseSearch'>) {
    return this.caseProcedures.search(input);
  }
  caseGet(input: ProcParsedInput<'caseGet'>) {
    return this.caseProcedures.get(input);
  }
  caseOpen(input: ProcParsedInput<'caseOpen'>) {
    return this.caseProcedures.open(input);
  }
  caseUpdate(input: ProcParsedInput<'caseUpdate'>) {
    return this.caseProcedures.update(input);
  }
  caseSetView(input: ProcParsedInput<'caseSetView'>) {
    return this.caseProcedures.setView(input);
  }
  caseSaveAnnotations(input: ProcParsedInput<'caseSaveAnnotations'>) {
    return this.caseProcedures.saveAnnotations(input);
  }
  caseReview(input: ProcParsedInput<'caseReview'>) {
    return this.caseProcedures.review(input);
  }
  caseSign(input: ProcParsedInput<'caseSign'>) {
    return this.caseProcedures.sign(input);
  }
  caseVerify() {
    return this.caseProcedures.verify();
  }
  caseReport(input: ProcParsedInput<'caseReport'>) {
    return this.caseProcedures.report(input);
  }

  async dicomInfo(input: ProcParsedInput<'dicomInfo'>): Promise<ProcOutput<'dicomInfo'>> {
    return this.dicomProcedures.info(input.inputId);
  }

  async dicomFrame(input: ProcParsedInput<'dicomFrame'>): Promise<ProcOutput<'dicomFrame'>> {
    return this.dicomProcedures.frame(input);
  }

  async dicomTags(input: ProcParsedInput<'dicomTags'>): Promise<ProcOutput<'dicomTags'>> {
    return this.dicomProcedures.tags(input);
  }

  async dicomExport(input: ProcParsedInput<'dicomExport'>): Promise<ProcOutput<'dicomExport'>> {
    return this.dicomProcedures.export(input);
  }

  async dispose(): Promise<void> {
    await this.caseProcedures.close();
    await this.sessions.dispose();
  }

  private model(id: string): ModelInfo {
    const model = this.models.get(id);
    if (!model) throw new ApiError('NOT_FOUND', `No open model with id ${id.slice(0, 12)}…; open the model first`);
    return model;
  }

  private openedInput(inputId: string): OpenInput {
    const open = this.inputs.get(inputId);
    if (!open) throw new ApiError('NOT_FOUND', `No open input with id ${inputId.slice(0, 12)}…; open the image first`);
    return open;
  }

  private prepare(model: ModelInfo, inputId: string): Promise<PreparedInput> {
    const open = this.openedInput(inputId);
    const key = `${model.id}|${inputId}`;
    let entry = this.prepared.get(key);
    if (!entry) {
      entry = prepareInput(model, open);
      this.prepared.set(key, entry);
      entry.catch(() => this.prepared.delete(key));
    }
    return entry;
  }

  /** Forward + backward runs for gradient methods; its sessions open on first use (see autodiff/gradient-runner.ts). */
  private gradientRunner(model: ModelInfo, preference?: ProviderPreference): GradientRunner {
    const key = `${model.sha256}|${model.inputName}|${model.outputName}|${this.provider(preference)}`;
    let runner = this.gradientRunners.get(key);
    if (!runner) {
      runner = createGradientRunner({ model, sessions: this.sessions, preference: this.provider(preference) });
      this.gradientRunners.set(key, runner);
    }
    return runner;
  }

  private forwardRunner(model: ModelInfo, preference?: ProviderPreference): Promise<ModelRunner> {
    return forwardRunnerOf(model, this.sessions, this.provider(preference));
  }

  /** The provider a call runs on: the one it asks for, else the engine's default, else 'auto'. */
  private provider(preference?: ProviderPreference): ProviderPreference {
    return preference ?? this.options.defaultProvider ?? 'auto';
  }
}

/** A forward runner that can also fetch other outputs of the model in the same run. */
interface ModelRunner extends ForwardRunner {
  /** the logits of a batch (checked as `run` checks them) and every fetched output, `extra` included */
  runWithOutputs(data: Float32Array, batch: number, extra: readonly string[]): Promise<{ logits: Float32Array; outputs: ort.InferenceSession.ReturnType }>;
}

/** The forward pass of a model on a batch, through a session of `sessions`. */
async function forwardRunnerOf(model: ModelInfo, sessions: SessionCache, preference: ProviderPreference): Promise<ModelRunner> {
  const { session, provider } = await sessions.get(model.path, model.sha256, preference);
  const dims = modelInputDims(model);
  const runWithOutputs: ModelRunner['runWithOutputs'] = async (data, batch, extra) => {
    const feeds = { [model.inputName]: new ort.Tensor('float32', data, [batch, ...dims]) };
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await session.run(feeds, [...new Set([model.outputName, ...extra])]);
    } catch (error) {
      throw new ApiError('BAD_MODEL', `The model failed to run: ${(error as Error).message.split('\n')[0]}`);
    }
    const output = results[model.outputName];
    const values = output.data as Float32Array;
    if (output.type !== 'float32' || values.length !== batch * model.numClasses) {
      throw new ApiError('BAD_MODEL', `The model's output "${model.outputName}" is ${output.type} [${output.dims.join(', ')}]; expected float32 [${batch}, ${model.numClasses}]`);
    }
    return { logits: values, outputs: results };
  };
  // A model's batch axis is dynamic or fixed at 1 (the card refuses other fixed batches).
  const maxBatch = model.dynamicBatch ? 1024 : 1;
  return {
    provider,
    maxBatch,
    runWithOutputs,
    async run(data: Float32Array, batch: number): Promise<Float32Array> {
      if (batch <= maxBatch) return (await runWithOutputs(data, batch, [])).logits;
      // More inputs than one run takes (a model with a fixed batch of 1): run them in parts.
      const perInput = data.length / batch;
      const logits = new Float32Array(batch * model.numClasses);
      for (let start = 0; start < batch; start += maxBatch) {
        const count = Math.min(maxBatch, batch - start);
        logits.set((await runWithOutputs(data.subarray(start * perInput, (start + count) * perInput), count, [])).logits, start * model.numClasses);
      }
      return logits;
    },
  };
}

/** The [H, W] display map of an explainer's output, at model-input resolution. */
function displayMap(output: ExplainOutput, model: ModelInfo): Float32Tensor {
  return applyDisplaySteps(output.attribution, output.display, model.preprocessing);
}

function osUser(): string {
  try {
    return userInfo().username || 'unknown user';
  } catch {
    return 'unknown user';
  }
}

async function prepareInput(model: ModelInfo, open: OpenInput): Promise<PreparedInput> {
  const full = { x: 0, y: 0, width: 1, height: 1 };
  if (open.tensor) {
    const dims = modelInputDims(model);
    const shape = open.tensor.shape;
    const withoutBatch = shape.length === dims.length + 1 && shape[0] === 1 ? shape.slice(1) : shape;
    if (withoutBatch.length !== dims.length || withoutBatch.some((d, i) => d !== dims[i])) {
      throw new ApiError('BAD_INPUT', `${open.info.name} has shape [${shape.join(', ')}]; the model takes [1, ${dims.join(', ')}]`);
    }
    return { tensor: { shape: [1, ...dims], data: open.tensor.data }, region: full };
  }
  const image = open.dicom ? (await dicomModelImage(open.dicom, model.preprocessing.dicom ?? resolveDicomInput(undefined))).image : open.image!;
  const fitted = await fitImageSize(image, model.preprocessing);
  return { tensor: imageToTensor(fitted.image, model.preprocessing, open.info.name, image), region: fitted.region, pixels: pixelImageFromDecoded(fitted.image) };
}

/** A viewable PNG of a tensor input: its first (up to 3) channels, min–max scaled. */
async function tensorPreview(tensor: Float32Tensor): Promise<string> {
  const shape = tensor.shape.length === 4 ? tensor.shape.slice(1) : tensor.shape;
  if (shape.length !== 3) return '';
  const [c, h, w] = shape[0] <= 4 ? shape : [shape[2], shape[0], shape[1]];
  const channelsFirst = shape[0] <= 4;
  const { min, max } = valueRange(tensor.data);
  const span = max - min || 1;
  const out = Buffer.alloc(h * w * 3);
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) {
      const ch = Math.min(k, c - 1);
      const v = tensor.data[channelsFirst ? ch * h * w + p : p * c + ch];
      out[p * 3 + k] = Math.round(((v - min) / span) * 255);
    }
  }
  return pngDataUrl(await sharp(out, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer());
}
