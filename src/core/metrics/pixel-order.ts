// The order in which faithfulness metrics (deletion, insertion, ROAD) remove or insert pixels: map
// cells from the most to the least relevant, ties broken by row-major index so that a run is
// reproducible. Signed maps are ordered by value (evidence for the class first).

/** Cell indices sorted by decreasing value (NaN counts as the least relevant). */
export function pixelsByRelevance(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const key = (i: number) => (Number.isNaN(values[i]) ? -Infinity : values[i]);
  return order.sort((a, b) => key(b) - key(a) || a - b);
}

/** The first `count` cells of `order` as a 0/1 mask. */
export function topCells(order: Uint32Array, count: number): Uint8Array {
  const mask = new Uint8Array(order.length);
  for (let k = 0; k < Math.min(count, order.length); k++) mask[order[k]] = 1;
  return mask;
}
