// The registry of trust metrics: what each measures, which way is better and its reference — read
// by the UI (labels, tooltips) and documentation; pure data, so the renderer can import it. The
// computations live in one file per metric beside this one.
import type { TrustMetricId } from '../../api/metrics-schemas';

export interface TrustMetricInfo {
  id: TrustMetricId;
  label: string;
  /** what it measures and which way is better, as the UI explains it */
  description: string;
  reference: string;
}

const TRUST_METRIC_INFO: readonly TrustMetricInfo[] = [
  { id: 'deletion', label: 'Deletion AUC ↓', description: 'probability left as the most relevant pixels are removed first; lower = more faithful', reference: 'Petsiuk et al., RISE, BMVC 2018' },
  { id: 'insertion', label: 'Insertion AUC ↑', description: 'probability regained as the most relevant pixels are inserted first; higher = more faithful', reference: 'Petsiuk et al., RISE, BMVC 2018' },
  { id: 'road', label: 'ROAD', description: 'probability with the most (MoRF) or least (LeRF) relevant pixels imputed; a large LeRF − MoRF gap = faithful', reference: 'Rong et al., ICML 2022' },
  { id: 'randomisation', label: 'Randomisation check', description: 'rank correlation with the map of a model whose top layers are re-initialised; under 0.5 = the map depends on the weights', reference: 'Adebayo et al., NeurIPS 2018' },
  { id: 'localisation', label: 'Localisation', description: 'pointing game, relevance mass, relevance rank and top-k IoU against the ground-truth region; higher = better localised', reference: 'Zhang et al. 2016; Arras et al. 2022' },
];

export function trustMetricInfo(id: TrustMetricId): TrustMetricInfo {
  return TRUST_METRIC_INFO.find((m) => m.id === id)!;
}
