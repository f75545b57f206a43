// A plain grid of K×K cells over an H×W image: cell = floor(row·K/H)·K + floor(col·K/W). For
// 224² and K = 7 this is the fixtures' grid_segments.npy ((row // 32) * 7 + col // 32).
import type { Segmentation } from './types';

export function gridSegments(width: number, height: number, cellsPerSide: number): Segmentation {
  const k = Math.max(1, Math.min(cellsPerSide, width, height));
  const labels = new Int32Array(width * height);
  for (let r = 0; r < height; r++) {
    const cellRow = Math.floor((r * k) / height);
    for (let c = 0; c < width; c++) labels[r * width + c] = cellRow * k + Math.floor((c * k) / width);
  }
  return { width, height, labels, count: k * k };
}
