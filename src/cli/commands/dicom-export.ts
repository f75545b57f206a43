// `sightline dicom-export --input F.dcm --out DIR [--format dcm,png,json] [--frame K] [--identified]`:
// de-identified exports (PS3.15 Basic Profile); --identified is the explicit opt-in to keep identity.
import { EXIT, UsageError, type Command } from '../command';

const FORMATS = ['dcm', 'png', 'json'] as const;

export const dicomExportCommand: Command = {
  name: 'dicom-export',
  usage: 'sightline dicom-export --input F.dcm --out DIR [--format dcm,png,json] [--frame K] [--identified] [--json]',
  options: { input: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, frame: { type: 'string' }, identified: { type: 'boolean', default: false } },
  async run(ctx) {
    const formats = ((ctx.values.format as string | undefined) ?? FORMATS.join(',')).split(',').map((f) => f.trim().toLowerCase());
    const unknown = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
    if (unknown.length > 0) throw new UsageError(`--format takes dcm, png and json (got ${unknown.join(', ')})`);
    const frame = Number((ctx.values.frame as string | undefined) ?? 0);
    if (!(Number.isInteger(frame) && frame >= 0)) throw new UsageError(`--frame must be a frame index ≥ 0`);
    const input = await ctx.api.openInput({ path: ctx.need('input') });
    const result = await ctx.api.dicomExport({ inputId: input.id, outDir: ctx.need('out'), formats: formats as (typeof FORMATS)[number][], frame, identified: ctx.values.identified === true });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (ctx.json) console.log(JSON.stringify(result));
    else {
      console.log(`${result.deidentified ? 'De-identified (PS3.15 Basic Profile)' : 'IDENTIFIED'} export of ${input.name}:`);
      for (const f of result.files) console.log(`  ${f.path} (${f.bytes} bytes)`);
    }
    return EXIT.ok;
  },
};
