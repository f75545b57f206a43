// ONNX TensorProto ↔ plain values: decodes initializers and Constant values (raw_data, typed
// fields, external data beside the model) and builds TensorProtos for the transform's constants.
// int64 values become JS numbers: they are only used as shapes, axes and indices (INT64_MAX clamps).
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema, type TensorProto } from 'onnx-buf';
import { product } from '../shapes/dims';

export const ElemType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

const TYPE_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

export function elemTypeLabel(elemType: number): string {
  return TYPE_NAMES[elemType] ?? `element type ${elemType}`;
}

export function isFloatType(elemType: number): boolean {
  return elemType === ElemType.FLOAT || elemType === ElemType.DOUBLE || elemType === ElemType.FLOAT16 || elemType === ElemType.BFLOAT16;
}

function isIntegerType(elemType: number): boolean {
  return [2, 3, 4, 5, 6, 7, 12, 13].includes(elemType);
}

/** A decoded tensor: every element as a JS number (bool → 0/1). */
export interface ConstTensor {
  elemType: number;
  dims: number[];
  data: number[];
}

/** External data files already read, by path: lets one inference or transform read each file once. */
export type ExternalFileCache = Map<string, Uint8Array>;

/** Reads the bytes of a tensor stored as external data, relative to the model's folder. */
function externalBytes(tensor: TensorProto, modelDir: string | null, files?: ExternalFileCache): Uint8Array {
  const entry = Object.fromEntries(tensor.externalData.map((e) => [e.key, e.value]));
  if (!modelDir) throw new Error(`Tensor ${tensor.name} is stored as external data (${entry.location}), but the model's folder is unknown`);
  const location = normalize(entry.location ?? '');
  if (!location || isAbsolute(location) || location.startsWith('..')) throw new Error(`Tensor ${tensor.name}: external data location "${entry.location}" is outside the model's folder`);
  const path = join(modelDir, location);
  let file = files?.get(path);
  if (!file) {
    file = readFileSync(path);
    files?.set(path, file);
  }
  const offset = Number(entry.offset ?? 0);
  const length = entry.length !== undefined ? Number(entry.length) : file.length - offset;
  return new Uint8Array(file.buffer, file.byteOffset + offset, length);
}

/** The element bytes of a tensor stored as raw bytes (raw_data or external data), else null. */
function rawBytes(tensor: TensorProto, modelDir: string | null, files?: ExternalFileCache): Uint8Array | null {
  if (tensor.dataLocation === 1) return externalBytes(tensor, modelDir, files);
  return tensor.rawData.length > 0 ? tensor.rawData : null;
}

function readRaw(bytes: Uint8Array, elemType: number, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    switch (elemType) {
      case ElemType.FLOAT:
        out[i] = view.getFloat32(4 * i, true);
        break;
      case ElemType.DOUBLE:
        out[i] = view.getFloat64(8 * i, true);
        break;
      case ElemType.INT64:
        out[i] = Number(view.getBigInt64(8 * i, true));
        break;
      case ElemType.UINT64:
        out[i] = Number(view.getBigUint64(8 * i, true));
        break;
      case ElemType.INT32:
        out[i] = view.getInt32(4 * i, true);
        break;
      case ElemType.UINT32:
        out[i] = view.getUint32(4 * i, true);
        break;
      case ElemType.INT16:
        out[i] = view.getInt16(2 * i, true);
        break;
      case ElemType.UINT16:
        out[i] = view.getUint16(2 * i, true);
        break;
      case ElemType.INT8:
        out[i] = view.getInt8(i);
        break;
      case ElemType.UINT8:
      case ElemType.BOOL:
        out[i] = view.getUint8(i);
        break;
      default:
        throw new Error(`Cannot decode a ${elemTypeLabel(elemType)} tensor`);
    }
  }
  return out;
}

/**
 * Decodes a tensor's values (float16 and strings are not decoded). `files`, when given, caches the
 * external data files read (per path), for callers decoding many tensors of one model.
 */
export function decodeTensor(tensor: TensorProto, modelDir: string | null = null, files?: ExternalFileCache): ConstTensor {
  const dims = tensor.dims.map(Number);
  const count = product(dims);
  const elemType = tensor.dataType;
  const raw = rawBytes(tensor, modelDir, files);
  let data: number[];
  if (raw) data = readRaw(raw, elemType, count);
  else if (elemType === ElemType.FLOAT) data = [...tensor.floatData];
  else if (elemType === ElemType.DOUBLE) data = [...tensor.doubleData];
  else if (elemType === ElemType.INT64) data = tensor.int64Data.map(Number);
  else if (elemType === ElemType.UINT64 || elemType === ElemType.UINT32) data = tensor.uint64Data.map(Number);
  else if (isIntegerType(elemType) || elemType === ElemType.BOOL) data = [...tensor.int32Data];
  else throw new Error(`Cannot decode tensor ${tensor.name}: ${elemTypeLabel(elemType)}`);
  if (data.length !== count) throw new Error(`Tensor ${tensor.name} holds ${data.length} values for dims [${dims.join(', ')}]`);
  return { elemType, dims, data };
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A number as int64, saturating (INT64_MAX is not a float64, so it arrives rounded up). */
function toInt64(value: number): bigint {
  const big = BigInt(Math.trunc(value));
  return big > INT64_MAX ? INT64_MAX : big < INT64_MIN ? INT64_MIN : big;
}

/** A TensorProto with the values stored as little-endian raw bytes. */
export function makeTensor(name: string, elemType: number, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  const count = product(dims);
  if (values.length !== count) throw new Error(`makeTensor ${name}: ${values.length} values for dims [${dims.join(', ')}]`);
  let bytes: Uint8Array;
  switch (elemType) {
    case ElemType.FLOAT:
      bytes = new Uint8Array(Float32Array.from(values).buffer);
      break;
    case ElemType.DOUBLE:
      bytes = new Uint8Array(Float64Array.from(values).buffer);
      break;
    case ElemType.INT64:
      bytes = new Uint8Array(BigInt64Array.from(Array.from(values, toInt64)).buffer);
      break;
    case ElemType.INT32:
      bytes = new Uint8Array(Int32Array.from(values).buffer);
      break;
    case ElemType.BOOL:
    case ElemType.UINT8:
      bytes = Uint8Array.from(values);
      break;
    default:
      throw new Error(`makeTensor ${name}: cannot encode ${elemTypeLabel(elemType)}`);
  }
  return create(TensorProtoSchema, { name, dataType: elemType, dims: dims.map((d) => BigInt(d)), rawData: bytes as Uint8Array<ArrayBuffer> });
}
