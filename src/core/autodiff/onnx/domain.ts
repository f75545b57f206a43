// The default operator domain (ai.onnx, also written ''): recognising it on nodes and finding the
// opset a model imports for it.
import type { ModelProto } from 'onnx-buf';
import { UnsupportedError } from '../rule';

export function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

/** The opset the model imports for the default domain, or null when it imports none. */
export function defaultOpsetImport(model: ModelProto): number | null {
  const entry = model.opsetImport.find((o) => isDefaultDomain(o.domain));
  return entry ? Number(entry.version) : null;
}

export function defaultOpset(model: ModelProto): number {
  const opset = defaultOpsetImport(model);
  if (opset === null) throw new UnsupportedError('The model imports no ai.onnx opset');
  return opset;
}
