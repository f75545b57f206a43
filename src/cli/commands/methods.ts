// `sightline methods [--json]`: every explanation method with its parameters and defaults.
import { EXIT, type Command } from '../command';

export const methodsCommand: Command = {
  name: 'methods',
  usage: 'sightline methods [--json]',
  options: {},
  async run(ctx) {
    const methods = await ctx.api.methods({});
    if (ctx.json) {
      console.log(JSON.stringify({ methods }));
      return EXIT.ok;
    }
    for (const m of methods) {
      console.log(`${m.id} — ${m.label} (${m.family}, needs ${m.needs}); output ${m.output.shape}: ${m.output.meaning}`);
      for (const p of m.params) {
        const def = p.default === null ? 'auto' : Array.isArray(p.default) ? p.default.join(',') : String(p.default);
        console.log(`    --set ${p.name}=…  (${p.kind}${p.options ? `: ${p.options.join('|')}` : ''}; default ${def}) ${p.description}`);
      }
    }
    return EXIT.ok;
  },
};
