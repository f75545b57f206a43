// Table lookup as every DICOM LUT applies it (PS3.3 C.11.1.1, C.11.2.1.1, C.7.6.3.1.5): inputs below
// the first mapped value take the first entry, inputs past the end take the last. Pure.

/** y = data[clamp(floor(x) − firstMapped, 0, n − 1)] for every input. */
export function applyLookupTable(input: ArrayLike<number>, lut: { firstMapped: number; data: ArrayLike<number> }): Float64Array {
  const { firstMapped, data } = lut;
  const out = new Float64Array(input.length);
  const last = data.length - 1;
  for (let i = 0; i < input.length; i++) {
    const index = Math.floor(input[i]) - firstMapped;
    out[i] = data[index < 0 ? 0 : index > last ? last : index];
  }
  return out;
}
