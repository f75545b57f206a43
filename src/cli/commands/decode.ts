// `sightline decode --input F.dcm [--frame K] --stage stored|modality|display --out P.npy`: one frame
// of a DICOM file at a pipeline stage as float32 .npy, laid out as pydicom's pixel_array.
import { encodeNpy } from '../../core/tensor/npy';
import { fromWire } from '../../core/tensor/wire';
import { EXIT, UsageError, writeOutput, type Command } from '../command';

const STAGES = ['stored', 'modality', 'display'] as const;
const FUNCTIONS = ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'] as const;

export const decodeCommand: Command = {
  name: 'decode',
  usage:
    'sightline decode --input F.dcm [--frame K] --stage stored|modality|display [--preset ID | --window C,W[,LINEAR|LINEAR_EXACT|SIGMOID]]\n' +
    '                 --out P.npy [--json]',
  options: { input: { type: 'string' }, frame: { type: 'string' }, stage: { type: 'string' }, preset: { type: 'string' }, window: { type: 'string' }, out: { type: 'string' } },
  async run(ctx) {
    const out = ctx.need('out');
    if (!out.toLowerCase().endsWith('.npy')) throw new UsageError(`--out must end in .npy (got ${out})`);
    const stage = ctx.need('stage');
    if (!(STAGES as readonly string[]).includes(stage)) throw new UsageError(`--stage must be stored, modality or display (got ${stage})`);
    const frameText = ctx.values.frame as string | undefined;
    const frame = frameText === undefined ? 0 : Number(frameText);
    if (!(Number.isInteger(frame) && frame >= 0)) throw new UsageError(`--frame must be a frame index ≥ 0 (got ${frameText})`);
    const window = parseWindow(ctx.values.window as string | undefined);
    const input = await ctx.api.openInput({ path: ctx.need('input') });
    if (input.format !== 'dicom') throw new UsageError(`${input.name} is not a DICOM file; decode reads DICOM`);
    const result = await ctx.api.dicomFrame({ inputId: input.id, frame, stage: stage as (typeof STAGES)[number], preset: ctx.values.preset as string | undefined, window });
    const tensor = fromWire(result.values);
    await writeOutput(out, encodeNpy(tensor));
    const summary = { out, frame: result.frame, stage: result.stage, shape: tensor.shape, dtype: 'float32', outputRange: result.outputRange, steps: result.steps };
    if (ctx.json) console.log(JSON.stringify(summary));
    else {
      console.log(`${input.name} frame ${result.frame}, ${result.stage}: [${tensor.shape.join(', ')}] float32 → ${out}`);
      for (const step of result.steps) console.log(`  ${step.op} ${JSON.stringify(step.args)}`);
    }
    return EXIT.ok;
  },
};

function parseWindow(text: string | undefined): { center: number; width: number; fn: (typeof FUNCTIONS)[number] } | undefined {
  if (text === undefined) return undefined;
  const [c, w, fn = 'LINEAR'] = text.split(',').map((s) => s.trim());
  const center = Number(c);
  const width = Number(w);
  if (!Number.isFinite(center) || !(width > 0) || !(FUNCTIONS as readonly string[]).includes(fn.toUpperCase())) {
    throw new UsageError(`--window takes CENTER,WIDTH[,LINEAR|LINEAR_EXACT|SIGMOID] with WIDTH > 0 (got ${text})`);
  }
  return { center, width, fn: fn.toUpperCase() as (typeof FUNCTIONS)[number] };
}
