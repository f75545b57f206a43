// NumPy .npy reading and writing (format versions 1.0–3.0, C order), for float32 tensors in and
// out of the CLI. Other dtypes are converted to float32 on read.
import { ApiError } from '../../api/contract';

export interface Float32Tensor {
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, source = 'the .npy file'): Float32Tensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ApiError('BAD_INPUT', `${source} is not a NumPy .npy file (bad magic bytes)`);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLength > bytes.length) throw new ApiError('BAD_INPUT', `${source} is truncated (header)`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*True/.test(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new ApiError('BAD_INPUT', `${source} has an unreadable header`);
  if (fortran) throw new ApiError('BAD_INPUT', `${source} is in Fortran order; save it in C order`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number.parseInt(s, 10));
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const little = !descr.startsWith('>');
  const kind = descr.replace(/^[<>|=]/, '');
  const readers: Record<string, [number, (o: number) => number]> = {
    f4: [4, (o) => view.getFloat32(o, little)],
    f8: [8, (o) => view.getFloat64(o, little)],
    f2: [2, (o) => halfToFloat(view.getUint16(o, little))],
    u1: [1, (o) => view.getUint8(o)],
    i1: [1, (o) => view.getInt8(o)],
    u2: [2, (o) => view.getUint16(o, little)],
    i2: [2, (o) => view.getInt16(o, little)],
    u4: [4, (o) => view.getUint32(o, little)],
    i4: [4, (o) => view.getInt32(o, little)],
    i8: [8, (o) => Number(view.getBigInt64(o, little))],
    b1: [1, (o) => view.getUint8(o)],
  };
  const reader = readers[kind];
  if (!reader) throw new ApiError('BAD_INPUT', `${source} has dtype ${descr}, which Sightline does not read`);
  const [size, read] = reader;
  if (dataStart + count * size > bytes.length) {
    throw new ApiError('BAD_INPUT', `${source} is truncated: shape (${shape.join(', ')}) needs ${count * size} bytes of data`);
  }
  const data = new Float32Array(count);
  if (kind === 'f4' && little && (bytes.byteOffset + dataStart) % 4 === 0) {
    data.set(new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, count));
  } else {
    for (let i = 0; i < count; i++) data[i] = read(dataStart + i * size);
  }
  return { shape, data };
}

export function encodeNpy(tensor: Float32Tensor): Uint8Array {
  const shapeText = tensor.shape.length === 1 ? `${tensor.shape[0]},` : tensor.shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shapeText}), }`;
  // Pad so that the data starts on a 64-byte boundary, ending the header with a newline.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + tensor.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), 10 + header.length);
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
