// Tensors that parameters name by path (an integrated-gradients baseline, SmoothGrad's explicit
// noise): a .npy file read as float32 and checked against the shape the method needs.
import { readFile } from 'node:fs/promises';
import { ApiError } from '../../api/contract';
import { parseNpy, type Float32Tensor } from '../tensor/npy';

export async function readTensorParam(path: string, what: string): Promise<Float32Tensor> {
  if (!path.toLowerCase().endsWith('.npy')) throw new ApiError('BAD_PARAMS', `${what} must be a .npy file (got ${path})`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ApiError('BAD_PARAMS', `Cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseNpy(bytes, `${what} ${path}`);
}

/** `tensor` laid out as `count` inputs of the model's per-input shape (a leading 1 may be dropped or kept). */
export function expectInputs(tensor: Float32Tensor, inputShape: readonly number[], what: string, count?: number): number {
  const per = inputShape.slice(1);
  const perSize = per.reduce((a, b) => a * b, 1);
  const shape = tensor.shape;
  const matches = (dims: readonly number[]) => dims.length === per.length && dims.every((d, i) => d === per[i]);
  const n = matches(shape) ? 1 : matches(shape.slice(1)) ? shape[0] : -1;
  if (n < 1 || (count !== undefined && n !== count) || tensor.data.length !== n * perSize) {
    const want = count === undefined ? `[N, ${per.join(', ')}]` : count === 1 ? `[${per.join(', ')}] or [1, ${per.join(', ')}]` : `[${count}, ${per.join(', ')}]`;
    throw new ApiError('BAD_PARAMS', `${what} has shape [${shape.join(', ')}]; expected ${want}`);
  }
  return n;
}
