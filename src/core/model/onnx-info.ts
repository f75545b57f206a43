// Reads an ONNX file's structure (inputs, outputs, opsets, metadata) with onnx-buf, without running
// it. Errors name the file and what is wrong with it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto, type ValueInfoProto } from 'onnx-buf';
import { ApiError } from '../../api/contract';
import { defaultOpsetImport } from '../autodiff/onnx/domain';

export interface OnnxTensorInfo {
  name: string;
  /** element type as ONNX numbers it (1 = float32) */
  elemType: number;
  /** dims; a symbolic or missing dim is -1 */
  shape: number[];
  symbolic: (string | null)[];
}

export interface OnnxModelInfo {
  path: string;
  sha256: string;
  opset: number | null;
  producer: string;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  metadata: Record<string, string>;
  nodeCount: number;
  usesExternalData: boolean;
}

export async function readOnnxModel(path: string): Promise<OnnxModelInfo> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ApiError('NOT_FOUND', `Cannot read the model file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch {
    throw new ApiError('BAD_MODEL', `${path} is not an ONNX model (it does not parse as an ONNX protobuf)`);
  }
  const graph = model.graph;
  if (!graph || graph.node.length === 0 || graph.output.length === 0) {
    throw new ApiError('BAD_MODEL', `${path} is not an ONNX model (no graph with nodes and outputs in it)`);
  }
  const initializerNames = new Set(graph.initializer.map((t) => t.name));
  const inputs = graph.input.filter((i) => !initializerNames.has(i.name)).map(tensorInfo);
  if (inputs.length === 0) throw new ApiError('BAD_MODEL', `${path} has no graph input to feed an image into`);
  const usesExternalData = graph.initializer.some((t) => t.dataLocation === 1);
  return {
    path,
    sha256,
    opset: defaultOpsetImport(model),
    producer: `${model.producerName} ${model.producerVersion}`.trim(),
    inputs,
    outputs: graph.output.map(tensorInfo),
    metadata: Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value])),
    nodeCount: graph.node.length,
    usesExternalData,
  };
}

function tensorInfo(value: ValueInfoProto): OnnxTensorInfo {
  const type = value.type?.value;
  if (!type || type.case !== 'tensorType') return { name: value.name, elemType: 0, shape: [], symbolic: [] };
  const dims = type.value.shape?.dim ?? [];
  return {
    name: value.name,
    elemType: type.value.elemType,
    shape: dims.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : -1)),
    symbolic: dims.map((d) => (d.value.case === 'dimParam' ? d.value.value : null)),
  };
}
