// Decodes the contract's wire tensors in the browser (no Buffer here): base64 of little-endian
// float32 bytes. DataView reads little-endian explicitly, whatever the host's byte order.
import type { WireTensor } from '../../api/schemas';

export interface DecodedTensor {
  shape: number[];
  data: Float32Array;
}

export function decodeWireTensor(wire: WireTensor): DecodedTensor {
  if (wire.dtype !== 'float32') throw new Error(`Unsupported tensor dtype ${String(wire.dtype)}`);
  const binary = atob(wire.dataBase64);
  const expected = wire.shape.reduce((a, b) => a * b, 1);
  if (binary.length !== expected * 4) {
    throw new Error(`Tensor of shape [${wire.shape.join(', ')}] needs ${expected * 4} bytes, got ${binary.length}`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const data = new Float32Array(expected);
  for (let i = 0; i < expected; i += 1) data[i] = view.getFloat32(i * 4, true);
  return { shape: [...wire.shape], data };
}

/** A heatmap is [H, W]; a leading 1 (e.g. [1, H, W]) is tolerated. */
export function heatmapSize(shape: readonly number[]): { height: number; width: number } {
  const dims = shape.filter((d, i) => !(d === 1 && i < shape.length - 2));
  if (dims.length !== 2) throw new Error(`A heatmap must be [H, W], got [${shape.join(', ')}]`);
  return { height: dims[0], width: dims[1] };
}
