// Pointing game (Zhang et al., "Top-down neural attention by excitation backprop", ECCV 2016):
// a hit when the map's maximum lies inside the annotated region. Ties go to the first maximum in
// row-major order; no tolerance margin (the region is the clinician's own outline).

export interface PointingResult {
  hit: boolean;
  /** the map cell of the maximum */
  index: number;
}

export function pointingGame(values: ArrayLike<number>, mask: ArrayLike<number>): PointingResult {
  if (values.length !== mask.length) throw new Error(`pointing game: map has ${values.length} cells, mask ${mask.length}`);
  let index = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[index]) index = i;
  return { hit: values.length > 0 && mask[index] === 1, index };
}
