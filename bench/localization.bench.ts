// `npm run bench:localization` (issue 9 MS1): for every explanation method, the pointing game and
// the relevance mass inside the ground-truth lesion mask over the 200-image demo test set, for the
// clean demo CNN and the shortcut CNN, and the share of maps whose maximum falls on the corner
// marker, within MARKER_TOLERANCE pixels (of the images that carry it). Target: each model's own
// top-1 class. The attention methods, not applicable to a CNN, are also measured on the demo ViT.
// Options: --images N, --methods a,b, --threads N.
import { loadavg } from 'node:os';
import { ApiError } from '../src/api/contract';
import { pointingGame } from '../src/core/metrics/pointing-game';
import { relevanceMassInside } from '../src/core/metrics/relevance-mass';
import { BENCH_PARAMS, MARKER_TOLERANCE, heatmapValues, mean, openDemoBench } from './demo-testset';
import { option } from './bench-args';

const MODELS: { file: string; label: string; family?: string }[] = [
  { file: 'demo-cnn.onnx', label: 'clean CNN' },
  { file: 'demo-cnn-shortcut.onnx', label: 'shortcut CNN' },
  { file: 'demo-vit.onnx', label: 'ViT', family: 'attention' },
];

interface Row {
  method: string;
  model: string;
  pointing: number;
  mass: number;
  markerPointing: number;
  markerMass: number;
  seconds: number;
  note?: string;
}

export async function run(args: string[]): Promise<void> {
  const bench = await openDemoBench(args);
  const rows: Row[] = [];
  try {
    const wanted = option(args, 'methods', '');
    const methods = (await bench.api.methods({})).filter((m) => !wanted || wanted.split(',').includes(m.id));
    const withMarker = bench.cases.filter((c) => c.image.marker);
    console.log(`${bench.cases.length} demo test images (${withMarker.length} with the corner marker); load average ${loadavg()[0].toFixed(2)}`);
    for (const { file, label, family } of MODELS) {
      const modelMethods = methods.filter((m) => !family || m.family === family);
      if (modelMethods.length === 0) continue;
      const model = await bench.openModel(file);
      let correct = 0;
      let correctMarker = 0;
      for (const c of bench.cases) {
        const top = (await bench.api.predict({ modelId: model.id, inputId: c.input.id })).top[0].index;
        if (top === c.image.labelIndex) {
          correct++;
          if (c.image.marker) correctMarker++;
        }
      }
      console.log(`${label}: accuracy ${(correct / bench.cases.length).toFixed(3)} (with marker ${(correctMarker / withMarker.length).toFixed(3)}, without ${((correct - correctMarker) / (bench.cases.length - withMarker.length)).toFixed(3)})`);
      for (const method of modelMethods) {
        const started = performance.now();
        const hits: number[] = [];
        const masses: number[] = [];
        const markerHits: number[] = [];
        const markerMasses: number[] = [];
        try {
          for (const c of bench.cases) {
            const explanation = await bench.api.explain({ modelId: model.id, inputId: c.input.id, method: method.id, params: BENCH_PARAMS[method.id] ?? {} });
            const map = heatmapValues(explanation.heatmap.dataBase64);
            hits.push(pointingGame(map, c.lesion).hit ? 1 : 0);
            masses.push(relevanceMassInside(map, c.lesion));
            if (c.image.marker) {
              markerHits.push(pointingGame(map, bench.marker).hit ? 1 : 0);
              markerMasses.push(relevanceMassInside(map, bench.marker));
            }
          }
          rows.push({ method: method.id, model: label, pointing: mean(hits), mass: mean(masses), markerPointing: mean(markerHits), markerMass: mean(markerMasses), seconds: (performance.now() - started) / 1000 });
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== 'BAD_MODEL') throw error;
          rows.push({ method: method.id, model: label, pointing: Number.NaN, mass: Number.NaN, markerPointing: Number.NaN, markerMass: Number.NaN, seconds: 0, note: 'not applicable (needs a transformer with attention tensors)' });
        }
        const last = rows.at(-1)!;
        console.error(`  ${label} ${method.id}: ${last.note ?? `pointing ${last.pointing.toFixed(3)}, mass ${last.mass.toFixed(3)}, marker ${last.markerPointing.toFixed(3)} (${last.seconds.toFixed(0)} s)`}`);
      }
    }
  } finally {
    await bench.dispose();
  }
  const cell = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(3));
  console.log(`\nPointing game and relevance mass against the lesion mask; marker = maps of marker-bearing images whose maximum (pointing) / positive mass falls on the marker plate or within ${MARKER_TOLERANCE} px of it`);
  console.log('| method | model | pointing game | relevance mass | points at marker | mass on marker | s |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    if (r.note) console.log(`| ${r.method} | ${r.model} | ${r.note} | | | | |`);
    else console.log(`| ${r.method} | ${r.model} | ${cell(r.pointing)} | ${cell(r.mass)} | ${cell(r.markerPointing)} | ${cell(r.markerMass)} | ${r.seconds.toFixed(0)} |`);
  }
}
