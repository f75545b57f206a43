// Float32 tensors ↔ the contract's wire form (base64 of little-endian bytes).
import type { WireTensor } from '../../api/schemas';
import type { Float32Tensor } from './npy';

export function toWire(tensor: Float32Tensor): WireTensor {
  const bytes = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  return { shape: [...tensor.shape], dtype: 'float32', dataBase64: bytes.toString('base64') };
}

export function fromWire(wire: WireTensor): Float32Tensor {
  const bytes = Buffer.from(wire.dataBase64, 'base64');
  const data = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(data.buffer).set(bytes);
  return { shape: [...wire.shape], data };
}
