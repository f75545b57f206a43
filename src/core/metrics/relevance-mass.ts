// Relevance mass inside (Arras et al., "CLEVR-XAI", Information Fusion 2022, "relevance mass
// accuracy"): the share of the map's positive relevance that falls inside the region. Negative
// values (evidence against the class in signed maps) are not relevance for it and count as 0.
// A map with no positive value gives 0.

export function relevanceMassInside(values: ArrayLike<number>, mask: ArrayLike<number>): number {
  if (values.length !== mask.length) throw new Error(`relevance mass: map has ${values.length} cells, mask ${mask.length}`);
  let inside = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const relevance = values[i] > 0 ? values[i] : 0;
    total += relevance;
    if (mask[i] === 1) inside += relevance;
  }
  return total > 0 ? inside / total : 0;
}
