// The ONNX node-test corpus (Debian libonnx-testdata): finding it, reading its protobuf test data
// into onnxruntime tensors, and comparing outputs with the ONNX backend-test tolerances
// (rtol 1e-3, atol 1e-7). Independent of the code under test except for the onnx-buf schema and
// the element-type names.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema, type TensorProto } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { elemTypeLabel } from '../../src/core/autodiff/onnx/tensor';

const CORPUS_CANDIDATES = ['/usr/share/libonnx-testdata/data/node', '/usr/include/onnx/backend/test/data/node'];

/** The node-test folder; throws a clear error when the Debian package is missing (CI installs it). */
export function nodeCorpusDir(): string {
  const dir = process.env.SIGHTLINE_ONNX_NODE_TESTS ?? CORPUS_CANDIDATES.find((d) => existsSync(d));
  if (!dir || !existsSync(dir)) {
    throw new Error(
      `The ONNX node-test corpus is missing (looked in ${CORPUS_CANDIDATES.join(', ')}). Install it with \`apt-get install -y libonnx-testdata\` (.ci/run does) or set SIGHTLINE_ONNX_NODE_TESTS.`,
    );
  }
  return dir;
}

export function corpusCases(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'model.onnx')) && existsSync(join(dir, name, 'test_data_set_0')))
    .sort();
}

/** Element types onnxruntime tensors carry, by ONNX number (their names are the same as Sightline's labels). */
const ORT_ELEMENT_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);

type TypedArrayCtor = { new (buffer: ArrayBuffer): ArrayLike<number | bigint>; BYTES_PER_ELEMENT: number; from(values: Iterable<number | bigint>): ArrayLike<number | bigint> };

const ARRAYS: Record<number, TypedArrayCtor> = {
  1: Float32Array,
  2: Uint8Array,
  3: Int8Array,
  4: Uint16Array,
  5: Int16Array,
  6: Int32Array,
  7: BigInt64Array,
  9: Uint8Array,
  10: Uint16Array,
  11: Float64Array,
  12: Uint32Array,
  13: BigUint64Array,
} as unknown as Record<number, TypedArrayCtor>;

/** A TensorProto (test data) as an onnxruntime tensor; throws for types it cannot carry. */
export function tensorFromProto(t: TensorProto): ort.Tensor {
  if (!ORT_ELEMENT_TYPES.has(t.dataType)) throw new Error(`tensor ${t.name}: data type ${t.dataType}`);
  const type = elemTypeLabel(t.dataType) as ort.Tensor.Type;
  const dims = t.dims.map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  if (type === 'string') return new ort.Tensor('string', t.stringData.map((s) => new TextDecoder().decode(s)), dims);
  const Ctor = ARRAYS[t.dataType];
  let data: ArrayLike<number | bigint>;
  if (t.rawData.length) {
    const copy = new Uint8Array(t.rawData); // a copy: rawData may be a view into a pooled Buffer
    data = new Ctor(copy.buffer);
  } else if (t.dataType === 1) data = Float32Array.from(t.floatData);
  else if (t.dataType === 11) data = Float64Array.from(t.doubleData);
  else if (t.dataType === 7) data = BigInt64Array.from(t.int64Data);
  else if (t.dataType === 13 || t.dataType === 12) data = Ctor.from(t.uint64Data.map((v) => (t.dataType === 13 ? v : Number(v))));
  else data = Ctor.from(t.int32Data);
  if (data.length !== count) throw new Error(`tensor ${t.name}: ${data.length} values for dims [${dims.join(', ')}]`);
  return new ort.Tensor(type, data as ort.Tensor.DataType, dims);
}

export interface TestDataSet {
  inputs: { name: string; tensor: ort.Tensor }[];
  outputs: { name: string; tensor: ort.Tensor }[];
}

/** test_data_set_0 of a case; input/output names fall back to the graph's order. */
export function readTestData(caseDir: string, inputNames: string[], outputNames: string[]): TestDataSet {
  const dir = join(caseDir, 'test_data_set_0');
  const read = (prefix: string, names: string[]) =>
    readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
      .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
      .map((f, i) => {
        const proto = fromBinary(TensorProtoSchema, readFileSync(join(dir, f)));
        return { name: proto.name || names[i], tensor: tensorFromProto(proto) };
      });
  return { inputs: read('input_', inputNames), outputs: read('output_', outputNames) };
}

/** Max violation of |got − ref| ≤ atol + rtol·|ref| (0 = within tolerance); NaN matches NaN. */
export function toleranceViolation(got: ort.Tensor, ref: ort.Tensor, rtol = 1e-3, atol = 1e-7): number {
  if (got.dims.join(',') !== ref.dims.join(',')) return Number.POSITIVE_INFINITY;
  const a = got.data as ArrayLike<number | bigint | string>;
  const b = ref.data as ArrayLike<number | bigint | string>;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (typeof b[i] !== 'number') {
      if (a[i] !== b[i]) return Number.POSITIVE_INFINITY;
      continue;
    }
    const [x, y] = [Number(a[i]), Number(b[i])];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (!(excess <= 0)) worst = Math.max(worst, Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess);
  }
  return worst;
}

export type CorpusOutcome =
  | { kind: 'no-forward'; reason: string }
  | { kind: 'not-differentiable'; reason: string }
  | { kind: 'no-float-path'; outputsAfterTransform: 'match' | 'differ' }
  | { kind: 'unsupported'; message: string }
  | { kind: 'checked'; forwardMatchesReference: boolean; outputsAfterTransform: 'match' | 'differ'; gradientError: number; gradientCheck: string; wrt: string[] }
  | { kind: 'failed'; reason: string };
