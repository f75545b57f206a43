// The demonstration assets shipped in resources/demo (made by tools/build_demo.py): four demo
// models with their cards, the sample images with ground-truth lesion masks, and the 200-image test
// set. Synthetic phantoms, labelled "demonstration — not for clinical use".
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export interface DemoSample {
  file: string;
  mask: string;
  label: string;
  labelIndex: number;
  concepts: Record<string, number>;
  marker: boolean;
  /** the lesion outline in image pixels [[x, y], …] */
  outline: [number, number][];
}

export interface DemoSampleManifest {
  disclaimer: string;
  labels: string[];
  concepts: string[];
  /** the corner marker's box: y0, x0, y1, x1 (exclusive), image pixels */
  markerBox: [number, number, number, number];
  samples: DemoSample[];
}

export interface DemoTestImage {
  file: string;
  mask: string;
  labelIndex: number;
  concepts: number[];
  marker: boolean;
}

export interface DemoTestManifest {
  disclaimer: string;
  labels: string[];
  concepts: string[];
  markerBox: [number, number, number, number];
  seed: number;
  images: DemoTestImage[];
}

/** The demo models, the first being the one the app opens with. */
export const DEMO_MODELS = [
  { file: 'demo-cnn.onnx', kind: 'cnn' },
  { file: 'demo-cnn-shortcut.onnx', kind: 'shortcut cnn' },
  { file: 'demo-vit.onnx', kind: 'vit' },
  { file: 'demo-cbm.onnx', kind: 'concept bottleneck' },
] as const;

/** resources/demo of this checkout (development, the host, tests); Electron passes its own. */
export function repoDemoDir(): string {
  return fileURLToPath(new URL('../../../resources/demo', import.meta.url));
}

export function demoModelPath(demoDir: string, file: string): string {
  return join(demoDir, 'models', file);
}

export async function readSampleManifest(demoDir: string): Promise<DemoSampleManifest> {
  return JSON.parse(await readFile(join(demoDir, 'samples', 'manifest.json'), 'utf8')) as DemoSampleManifest;
}

export async function readTestManifest(demoDir: string): Promise<DemoTestManifest> {
  return JSON.parse(await readFile(join(demoDir, 'testset', 'manifest.json'), 'utf8')) as DemoTestManifest;
}

/** A mask PNG as 0/1 cells, row-major, with its size. */
export async function readMask(path: string): Promise<{ width: number; height: number; cells: Uint8Array }> {
  const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  const cells = new Uint8Array(info.width * info.height);
  for (let i = 0; i < cells.length; i++) cells[i] = data[i * info.channels] >= 128 ? 1 : 0;
  return { width: info.width, height: info.height, cells };
}

/** The marker box, grown by `margin` pixels on every side, as 0/1 cells of a width × height grid. */
export function boxMask(box: readonly [number, number, number, number], width: number, height: number, margin = 0): Uint8Array {
  const [y0, x0, y1, x1] = box;
  const cells = new Uint8Array(width * height);
  for (let y = Math.max(0, y0 - margin); y < Math.min(y1 + margin, height); y++) {
    for (let x = Math.max(0, x0 - margin); x < Math.min(x1 + margin, width); x++) cells[y * width + x] = 1;
  }
  return cells;
}
