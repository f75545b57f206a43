// `sightline dicom-tags --input F.dcm [--json]`: every attribute of a DICOM file (sequences recursed),
// read without decoding the pixels, so files whose pixels cannot be decoded still show their header.
import { EXIT, type Command } from '../command';

export const dicomTagsCommand: Command = {
  name: 'dicom-tags',
  usage: 'sightline dicom-tags --input F.dcm [--json]',
  options: { input: { type: 'string' } },
  async run(ctx) {
    const result = await ctx.api.dicomTags({ path: ctx.need('input') });
    if (ctx.json) {
      console.log(JSON.stringify(result));
      return EXIT.ok;
    }
    console.log(`${result.name}: ${result.transferSyntax.name} (${result.transferSyntax.uid})`);
    for (const a of result.attributes) console.log(`${'  '.repeat(a.depth)}${a.tag} ${a.vr} ${a.keyword} = ${a.value.length > 120 ? `${a.value.slice(0, 117)}…` : a.value}`);
    return EXIT.ok;
  },
};
