// A probe mask from a file, for the command line: a PNG/JPEG (a pixel is hidden when any channel
// is above half its full scale) or a .npy (hidden where nonzero), either at the model input's size
// (taken as is) or at the image's own size (carried through the model's crop and resize: each
// model-input pixel takes the mask value under its centre). The result is the wire's run lengths.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ApiError } from '../../api/contract';
import type { BinaryMask, ResolvedPreprocessing } from '../../api/schemas';
import { encodeMask } from '../tensor/binary-mask';
import { parseNpy } from '../tensor/npy';
import { decodeImage } from './decode';
import { modelCrop } from './model-region';

interface Plane {
  width: number;
  height: number;
  hidden: Uint8Array;
}

async function readPlane(path: string): Promise<Plane> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ApiError('BAD_INPUT', `Cannot read the mask ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const name = basename(path);
  if (extname(path).toLowerCase() === '.npy') {
    const tensor = parseNpy(bytes, name);
    const dims = tensor.shape.filter((d, i) => !(d === 1 && i < tensor.shape.length - 2));
    if (dims.length !== 2) throw new ApiError('BAD_INPUT', `The mask ${name} has shape [${tensor.shape.join(', ')}]; a mask is [H, W] (leading 1s allowed)`);
    return { width: dims[1], height: dims[0], hidden: Uint8Array.from(tensor.data, (v) => (v !== 0 ? 1 : 0)) };
  }
  const image = await decodeImage(bytes, name);
  const half = (image.bitDepth === 16 ? 65535 : 255) / 2;
  const hidden = new Uint8Array(image.width * image.height);
  for (let p = 0; p < hidden.length; p++) {
    for (let c = 0; c < image.channels; c++) if (image.data[p * image.channels + c] > half) hidden[p] = 1;
  }
  return { width: image.width, height: image.height, hidden };
}

/** Reads a mask file for an image of `image` size and a model with `prep`, as the probe takes it. */
export async function loadProbeMask(path: string, image: { width: number; height: number }, prep: Pick<ResolvedPreprocessing, 'width' | 'height' | 'resize'>): Promise<BinaryMask> {
  const plane = await readPlane(path);
  if (plane.width === prep.width && plane.height === prep.height) return encodeMask(prep.width, prep.height, plane.hidden);
  if (plane.width !== image.width || plane.height !== image.height) {
    throw new ApiError(
      'BAD_INPUT',
      `The mask ${basename(path)} is ${plane.width}×${plane.height}; it must be the image's size (${image.width}×${image.height}) or the model input's (${prep.width}×${prep.height})`,
    );
  }
  const crop = modelCrop(image.width, image.height, prep);
  const model = new Uint8Array(prep.width * prep.height);
  for (let my = 0; my < prep.height; my++) {
    const y = Math.min(image.height - 1, Math.floor(crop.top + ((my + 0.5) * crop.height) / prep.height));
    for (let mx = 0; mx < prep.width; mx++) {
      const x = Math.min(image.width - 1, Math.floor(crop.left + ((mx + 0.5) * crop.width) / prep.width));
      model[my * prep.width + mx] = plane.hidden[y * image.width + x];
    }
  }
  return encodeMask(prep.width, prep.height, model);
}
