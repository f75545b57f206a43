import { describe, expect, it } from 'vitest';
import { decodeWireTensor, heatmapSize } from '../../src/renderer/src/wire';

function encode(values: number[]): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return Buffer.from(bytes).toString('base64');
}

describe('decodeWireTensor', () => {
  it('reads little-endian float32 from base64', () => {
    const values = [0, -1.5, 3.25, 1e-7, -65504, 42];
    const tensor = decodeWireTensor({ shape: [2, 3], dtype: 'float32', dataBase64: encode(values) });
    expect(tensor.shape).toEqual([2, 3]);
    expect(Array.from(tensor.data)).toEqual(Array.from(new Float32Array(values)));
  });

  it('rejects a byte count that does not match the shape', () => {
    expect(() => decodeWireTensor({ shape: [2, 2], dtype: 'float32', dataBase64: encode([1, 2, 3]) })).toThrow(/needs 16 bytes/);
  });

  it('takes [H, W] and tolerates leading ones', () => {
    expect(heatmapSize([7, 5])).toEqual({ height: 7, width: 5 });
    expect(heatmapSize([1, 7, 5])).toEqual({ height: 7, width: 5 });
    expect(heatmapSize([1, 1])).toEqual({ height: 1, width: 1 });
    expect(() => heatmapSize([3, 7, 5])).toThrow();
  });
});
