// Table lookup as every DICOM LUT applies it (PS3.3 C.11.1.1, C.11.2.1.1, C.7.6.3.1.5): inputs below
// the first mapped value take the first entry, inputs past the end take the last. Pure.

export function lookUp(input: ArrayLike<number>, firstMapped: number, data: ArrayLike<number>, out: Float64Array = new Float64Array(input.length)): Float64Array {
  const last = data.length - 1;
  for (let i = 0; i < input.length; i++) {
    const index = Math.floor(input[i]) - firstMapped;
    out[i] = data[index < 0 ? 0 : index > last ? last : index];
  }
  return out;
}
