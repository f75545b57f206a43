// The one list of explanation methods: the UI's forms, the CLI's `methods` and the contract all
// read it. A method is added by writing its file and registering it here.
import { ApiError } from '../../api/contract';
import type { MethodInfo } from '../../api/schemas';
import { gradient } from './gradient/gradient';
import { kernelShap } from './perturbation/kernel-shap';
import { lime } from './perturbation/lime';
import { occlusion } from './perturbation/occlusion';
import { partitionShap } from './perturbation/partition-shap';
import { rise } from './perturbation/rise';
import type { Explainer } from './types';

const explainers: Explainer[] = [occlusion, rise, lime, kernelShap, partitionShap, gradient];
const byId = new Map(explainers.map((e) => [e.info.id, e]));

export function listMethods(): MethodInfo[] {
  return explainers.map((e) => e.info);
}

export function getExplainer(id: string): Explainer {
  const explainer = byId.get(id);
  if (!explainer) throw new ApiError('BAD_PARAMS', `Unknown method "${id}"; available: ${[...byId.keys()].join(', ')}`);
  return explainer;
}
