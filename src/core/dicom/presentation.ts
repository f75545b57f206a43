// Polarity (PS3.3 C.7.6.3.1.2, C.11.6): MONOCHROME1 shows its minimum white. The inversion happens
// once, after the VOI (cornerstone3D PR #2215), and Presentation LUT Shape decides when present:
// MONOCHROME1 + INVERSE is one inversion, not two (Weasis #372). The renderer gets the decision
// (shouldInvert) as the frame's `invert` flag.

export function shouldInvert(photometric: string, presentationLutShape: string | null | undefined): boolean {
  const shape = presentationLutShape?.trim().toUpperCase();
  if (shape) return shape === 'INVERSE';
  return photometric.trim().toUpperCase() === 'MONOCHROME1';
}

/** presented = ymin + ymax − value, in place. */
export function invertInPlace(values: Float64Array | Float32Array, ymin: number, ymax: number): void {
  const sum = ymin + ymax;
  for (let i = 0; i < values.length; i++) values[i] = sum - values[i];
}
