// NumPy .npy reading and writing: round trips, the fixtures' files, other dtypes, and bad bytes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/contract';
import { encodeNpy, parseNpy } from '../../../src/core/tensor/npy';
import { fromWire, toWire } from '../../../src/core/tensor/wire';
import { bitMismatches, imageNpy, readNpyF32 } from '../../helpers/fixtures';
import { randomFloats } from '../../helpers/onnx-builder';

function header(bytes: Uint8Array): string {
  const len = bytes[8] | (bytes[9] << 8);
  return new TextDecoder('latin1').decode(bytes.subarray(10, 10 + len));
}

function expectBadInput(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ApiError);
  expect((caught as ApiError).code).toBe('BAD_INPUT');
  expect((caught as ApiError).message).toMatch(message);
}

/** A hand-written .npy (format 1.0) with the given header dict and data bytes. */
function handNpy(dict: string, data: Uint8Array, major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  let text = dict;
  text += ' '.repeat((64 - ((pre + text.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(pre + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[pre + i] = text.charCodeAt(i);
  out.set(data, pre + text.length);
  return out;
}

describe('npy round trip', () => {
  it('1-D: encode → parse gives the same shape and the same bits, with a numpy-style header', () => {
    const data = new Float32Array([0, -0, 1.5, -2.25, Number.MIN_VALUE, 3.4028234663852886e38, Math.PI]);
    const bytes = encodeNpy({ shape: [data.length], data });
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const h = header(bytes);
    expect(h).toContain("'descr': '<f4'");
    expect(h).toContain("'fortran_order': False");
    expect(h).toContain(`'shape': (${data.length},)`); // numpy's 1-tuple form
    expect(h.endsWith('\n')).toBe(true);
    // data starts on a 64-byte boundary and fills the rest of the file exactly
    expect((10 + h.length) % 64).toBe(0);
    expect(bytes.length).toBe(10 + h.length + 4 * data.length);
    const back = parseNpy(bytes);
    expect(back.shape).toEqual([data.length]);
    expect(bitMismatches(back.data, data)).toBe(0);
    expect(Object.is(back.data[1], -0)).toBe(true);
  });

  it('4-D: encode → parse keeps shape [2,3,5,7] and every value', () => {
    const data = randomFloats(2 * 3 * 5 * 7, 42, -10, 10);
    const bytes = encodeNpy({ shape: [2, 3, 5, 7], data });
    expect(header(bytes)).toContain("'shape': (2, 3, 5, 7)");
    const back = parseNpy(bytes);
    expect(back.shape).toEqual([2, 3, 5, 7]);
    expect(bitMismatches(back.data, data)).toBe(0);
  });

  it('parses from an unaligned view (byteOffset not a multiple of 4)', () => {
    const data = randomFloats(12, 5);
    const encoded = encodeNpy({ shape: [3, 4], data });
    const shifted = new Uint8Array(encoded.length + 1);
    shifted.set(encoded, 1);
    const back = parseNpy(shifted.subarray(1));
    expect(back.shape).toEqual([3, 4]);
    expect(bitMismatches(back.data, data)).toBe(0);
  });

  it('wire form (base64) round trips too', () => {
    const data = randomFloats(24, 6);
    const wire = toWire({ shape: [1, 2, 3, 4], data });
    expect(wire.dtype).toBe('float32');
    expect(Buffer.from(wire.dataBase64, 'base64').length).toBe(96);
    const back = fromWire(wire);
    expect(back.shape).toEqual([1, 2, 3, 4]);
    expect(bitMismatches(back.data, data)).toBe(0);
  });
});

describe('npy fixtures and other dtypes', () => {
  it('parses a fixture input: shape [1,3,224,224], equal to an independent reader bit for bit', () => {
    const path = imageNpy('chelsea');
    const parsed = parseNpy(readFileSync(path), 'chelsea.npy');
    expect(parsed.shape).toEqual([1, 3, 224, 224]);
    expect(parsed.data.length).toBe(150528);
    const independent = readNpyF32(path);
    expect(bitMismatches(parsed.data, independent.data)).toBe(0);
    // normalised ImageNet values: roughly within [-2.2, 2.7]
    const min = parsed.data.reduce((a, b) => Math.min(a, b), Infinity);
    const max = parsed.data.reduce((a, b) => Math.max(a, b), -Infinity);
    expect(min).toBeGreaterThanOrEqual(-2.2);
    expect(max).toBeLessThanOrEqual(2.7);
    expect(max - min).toBeGreaterThan(3); // a real image, not zeros
  });

  it('reads float64, int64, big-endian float32 and format 2.0 files as float32', () => {
    const f8 = new Float64Array([1.5, -2, 1e-3]);
    const a = parseNpy(handNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", new Uint8Array(f8.buffer)));
    expect(a.shape).toEqual([3]);
    expect([...a.data]).toEqual([1.5, -2, Math.fround(1e-3)]);

    const i8 = new BigInt64Array([5n, -7n, 0n, 9n]);
    const b = parseNpy(handNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }", new Uint8Array(i8.buffer)));
    expect(b.shape).toEqual([2, 2]);
    expect([...b.data]).toEqual([5, -7, 0, 9]);

    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 2.5, false);
    new DataView(be.buffer).setFloat32(4, -0.125, false);
    const c = parseNpy(handNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", be));
    expect([...c.data]).toEqual([2.5, -0.125]);

    const v2 = parseNpy(handNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", new Uint8Array(new Float32Array([7, 8]).buffer), 2));
    expect(v2.shape).toEqual([1, 2]);
    expect([...v2.data]).toEqual([7, 8]);

    const scalar = parseNpy(handNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new Uint8Array(new Float32Array([3]).buffer)));
    expect(scalar.shape).toEqual([]);
    expect([...scalar.data]).toEqual([3]);
  });
});

describe('npy rejections', () => {
  it('non-npy bytes → BAD_INPUT naming the source', () => {
    expectBadInput(() => parseNpy(new TextEncoder().encode('this is a text file, not numpy data'), 'notes.npy'), /notes\.npy is not a NumPy \.npy file/);
    expectBadInput(() => parseNpy(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]), 'image.npy'), /not a NumPy/);
    expectBadInput(() => parseNpy(new Uint8Array(0)), /not a NumPy/);
  });

  it('truncated data → BAD_INPUT saying how many bytes the shape needs', () => {
    const full = encodeNpy({ shape: [1, 3, 8, 8], data: randomFloats(192, 1) });
    expectBadInput(() => parseNpy(full.subarray(0, full.length - 1), 'cut.npy'), /cut\.npy is truncated: shape \(1, 3, 8, 8\) needs 768 bytes/);
    expectBadInput(() => parseNpy(full.subarray(0, 70)), /truncated/);
  });

  it('truncated header, Fortran order and unknown dtypes → BAD_INPUT', () => {
    const full = encodeNpy({ shape: [4], data: new Float32Array(4) });
    expectBadInput(() => parseNpy(full.subarray(0, 20), 'h.npy'), /h\.npy is truncated \(header\)/);
    expectBadInput(() => parseNpy(handNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16))), /Fortran order/);
    expectBadInput(() => parseNpy(handNpy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8))), /dtype <c8/);
    expectBadInput(() => parseNpy(handNpy("{'fortran_order': False}", new Uint8Array(0))), /unreadable header/);
  });
});
