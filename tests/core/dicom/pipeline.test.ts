// Must show 2 (issue 7): each display-pipeline case, by the notes' test vectors (product-conventions
// §2) and by the fixtures' references: bits-stored mask and sign, negative slope, Modality and VOI LUT
// Sequences, LINEAR_EXACT and SIGMOID, window presets, MONOCHROME1 with and without INVERSE, palette
// colour, YBR_FULL and YBR_FULL_422, planar configuration 1, multi-frame, and the model's DICOM input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ybrFullToRgb } from '../../../src/core/dicom/color';
import { DicomImage, type Stage, type VoiChoice } from '../../../src/core/dicom/dicom-image';
import { dicomModelImage, resolveDicomInput } from '../../../src/core/dicom/model-input';
import { shouldInvert } from '../../../src/core/dicom/presentation';
import { storedValues } from '../../../src/core/dicom/stored-values';
import { minMaxWindow, parseVoiFunction, windowValue, type VoiFunction } from '../../../src/core/dicom/voi';
import type { PixelModule } from '../../../src/core/dicom/pixel-module';
import { dicomFile, dicomManifest, readNpyAny, referencePath } from '../../helpers/dicom-fixtures';

const manifest = new Map(dicomManifest().map((e) => [e.file.replace(/^files\/|\.dcm$/g, ''), e]));

function open(stem: string): DicomImage {
  return DicomImage.parse(readFileSync(dicomFile(stem)), `${stem}.dcm`);
}

/** max |stage − reference| for a fixture, and the stage result's output range. */
async function compare(stem: string, kind: string, stage: Stage, frame = 0, voi: VoiChoice = null) {
  const entry = manifest.get(stem)!;
  const reference = readNpyAny(referencePath(entry, kind));
  const result = await open(stem).stage(frame, stage, voi);
  expect(result.shape).toEqual(reference.shape);
  let worst = 0;
  for (let i = 0; i < reference.data.length; i++) worst = Math.max(worst, Math.abs(result.data[i] - reference.data[i]));
  return { worst, range: result.outputRange, steps: result.steps, voiRange: entry.references?.[kind]?.voi?.output_range };
}

describe('stored values: mask to Bits Stored, sign-extend (PS3.5 8.1.1)', () => {
  it('BS 12, PR 1 words with garbage high bits: the notes vector 0x0FFF, 0x0800, 0x07FF, 0xF005 → −1, −2048, 2047, 5', () => {
    const pixel = { bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 1 } as PixelModule;
    const { values } = storedValues({ samples: Uint16Array.from([0x0fff, 0x0800, 0x07ff, 0xf005]), convertedToRgb: false, shifted: true, decoder: 'test' }, pixel);
    expect([...values]).toEqual([-1, -2048, 2047, 5]);
  });

  it('synthetic_l (garbage in bits 12–15): stored, modality and display match the standard references exactly', async () => {
    expect((await compare('synthetic_l_bs12_signed_garbage', 'stored', 'stored')).worst).toBe(0);
    expect((await compare('synthetic_l_bs12_signed_garbage', 'display', 'display')).worst).toBeLessThanOrEqual(1e-3);
  });
});

describe('Modality LUT (PS3.3 C.11.1)', () => {
  it('negative rescale slope: modality exact, display on the ordered output range (not pydicom’s reversed one)', async () => {
    expect((await compare('synthetic_a_negative_slope', 'modality', 'modality')).worst).toBeLessThanOrEqual(1e-3);
    const display = await compare('synthetic_a_negative_slope', 'display', 'display');
    expect(display.worst).toBeLessThanOrEqual(1e-3);
    expect(display.range).toEqual([-1047.5, 1000]);
    expect(display.range).toEqual(display.voiRange);
    const pydicom = await compare('synthetic_a_negative_slope', 'display_pydicom', 'display');
    expect(pydicom.worst).toBeGreaterThan(1000); // pydicom's inverted departure is not reproduced
  });

  it('Modality LUT Sequence (16-bit and 12-bit entries) replaces the rescale', async () => {
    expect((await compare('synthetic_b_modality_lut_seq', 'modality', 'modality')).worst).toBe(0);
    expect((await compare('synthetic_b_modality_lut_seq', 'display', 'display')).worst).toBeLessThanOrEqual(1e-3);
    expect((await compare('synthetic_b2_modality_lut_seq_12bit', 'modality', 'modality')).worst).toBe(0);
    const steps = (await open('synthetic_b_modality_lut_seq').stage(0, 'modality')).steps;
    expect(steps.at(-1)).toMatchObject({ op: 'modality-lut', args: { kind: 'lut-sequence' } });
  });
});

describe('VOI (PS3.3 C.11.2)', () => {
  const x = [-1000, 0, 1, 39, 40, 41, 79, 80, 81, 1000];
  const vectors: Record<VoiFunction, number[]> = {
    LINEAR: [0, 0, 3.228, 125.886, 129.114, 132.342, 255, 255, 255, 255],
    LINEAR_EXACT: [0, 0, 3.188, 124.312, 127.5, 130.688, 251.812, 255, 255, 255],
    SIGMOID: [0, 30.397, 31.761, 124.313, 127.5, 130.687, 223.239, 224.603, 225.917, 255],
  };
  it.each(Object.entries(vectors))('%s: the notes’ test vector at c = 40, w = 80 onto 0…255, as printed to 3 decimals', (fn, expected) => {
    const y = x.map((v) => windowValue(v, { center: 40, width: 80, fn: fn as VoiFunction }, 0, 255));
    // The vector is printed to 3 decimals (124.3125 is printed 124.312): within half a unit of the last digit.
    y.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(5e-4 + 1e-9));
  });

  it('reads the VOI LUT Function however it is written', () => {
    expect(parseVoiFunction(' sigmoid ')).toBe('SIGMOID');
    expect(parseVoiFunction(['LINEAR_EXACT'])).toBe('LINEAR_EXACT');
    expect(parseVoiFunction('S')).toBe('LINEAR');
    expect(parseVoiFunction(undefined)).toBe('LINEAR');
  });

  it('SIGMOID and LINEAR_EXACT files match their references', async () => {
    expect((await compare('synthetic_d_sigmoid', 'display', 'display')).worst).toBeLessThanOrEqual(1e-3);
    expect((await compare('synthetic_e_linear_exact', 'display', 'display')).worst).toBeLessThanOrEqual(1e-3);
  });

  it('VOI LUT Sequence replaces the window: 16-bit entries, 8-bit entries in words (1024 entries), 8-bit packed', async () => {
    for (const stem of ['synthetic_c1_voi_lut_16bit', 'synthetic_c2_voi_lut_8bit_in_words', 'synthetic_c3_voi_lut_8bit_packed']) {
      const result = await compare(stem, 'display', 'display');
      expect(result.worst, stem).toBe(0);
      expect(result.range, stem).toEqual(result.voiRange);
      expect(result.steps.at(-1)?.op).toBe('voi-lut');
    }
    // pydicom wraps the 8-bit index mod 256 for synthetic_c2; the standard reference does not.
    expect((await compare('synthetic_c2_voi_lut_8bit_in_words', 'display_pydicom', 'display')).worst).toBeGreaterThan(100);
  });

  it('several window centre/width values become presets, each matching its reference', async () => {
    const image = open('synthetic_f_window_presets');
    const windows = image.voiPresets(0).filter((p) => p.kind === 'window');
    expect(windows).toHaveLength(3);
    for (const [index, kind] of ['display', 'display_w1', 'display_w2'].entries()) {
      expect((await compare('synthetic_f_window_presets', kind, 'display', 0, { preset: windows[index].id })).worst, kind).toBeLessThanOrEqual(1e-3);
    }
    const presets = open('J2K_pixelrep_mismatch').voiPresets(0);
    for (const [index, kind] of ['display', 'display_w1', 'display_w2'].entries()) {
      expect((await compare('J2K_pixelrep_mismatch', kind, 'display', 0, { preset: presets[index].id })).worst, kind).toBeLessThanOrEqual(1e-3);
    }
  });

  it('with no window and no VOI LUT, the min/max of the modality values maps onto the output range', () => {
    const window = minMaxWindow([-1024, 0, 3071]);
    expect(window).toEqual({ center: 1024, width: 4096, fn: 'LINEAR' });
    expect(windowValue(-1024, window, 0, 255)).toBe(0);
    expect(windowValue(3071, window, 0, 255)).toBe(255);
  });
});

describe('polarity (PS3.3 C.7.6.3.1.2, C.11.6): invert once, after the VOI', () => {
  it('rule: MONOCHROME1 inverts; MONOCHROME1 + INVERSE inverts once; MONOCHROME2 + INVERSE inverts; MONOCHROME1 + IDENTITY does not', () => {
    expect(shouldInvert('MONOCHROME1', null)).toBe(true);
    expect(shouldInvert('MONOCHROME1', 'INVERSE')).toBe(true);
    expect(shouldInvert('MONOCHROME2', 'INVERSE ')).toBe(true);
    expect(shouldInvert('MONOCHROME1', 'IDENTITY')).toBe(false);
    expect(shouldInvert('MONOCHROME2', null)).toBe(false);
  });

  it.each([['synthetic_g_monochrome1'], ['synthetic_h_monochrome1_inverse'], ['synthetic_h2_monochrome2_inverse']])('%s matches display_inverted exactly', async (stem) => {
    const result = await compare(stem, 'display_inverted', 'display');
    expect(result.worst).toBeLessThanOrEqual(1e-3);
    expect(result.steps.filter((s) => s.op === 'invert')).toHaveLength(1);
  });
});

describe('colour (PS3.3 C.7.6.3.1.2, C.7.6.3.1.5)', () => {
  it('YBR_FULL → RGB: the notes’ vectors', () => {
    expect([...ybrFullToRgb([128, 128, 128, 76, 85, 255, 150, 44, 21, 29, 255, 107])]).toEqual([128, 128, 128, 254, 0, 0, 0, 255, 1, 0, 0, 254]);
  });

  it('YBR_FULL_422 (native, pixel pairs Y0 Y1 Cb Cr) and YBR_FULL: stored is YBR, display is RGB within 1', async () => {
    for (const stem of ['synthetic_j_ybr_full_422_uncompressed', 'SC_ybr_full_422_uncompressed', 'synthetic_j2_ybr_full_uncompressed']) {
      expect((await compare(stem, 'stored', 'stored')).worst, stem).toBe(0);
      expect((await compare(stem, 'rgb', 'display')).worst, stem).toBeLessThanOrEqual(1);
    }
  });

  it('JPEG baseline YBR_FULL_422: the codec converts once; display equals the rgb reference', async () => {
    const result = await compare('SC_rgb_dcmtk_+eb+cy+np', 'rgb', 'display');
    expect(result.worst).toBe(0);
    expect(result.steps.some((s) => s.op === 'ybr-full-to-rgb')).toBe(false);
  });

  it('planar configuration 1 (all R, then G, then B): native little and big endian', async () => {
    expect((await compare('synthetic_k_rgb_planar1', 'stored', 'display')).worst).toBe(0);
    expect((await compare('ExplVR_BigEnd', 'stored', 'display')).worst).toBe(0);
  });

  it('PALETTE COLOR with 16-bit entries: display equals apply_color_lut exactly', async () => {
    expect((await compare('synthetic_i_palette_16bit', 'palette_rgb', 'display')).worst).toBe(0);
    expect((await compare('examples_palette', 'palette_rgb', 'display')).worst).toBe(0);
  });
});

describe('multi-frame and the model input', () => {
  it('synthetic_m: every frame at every stage', async () => {
    for (let frame = 0; frame < 3; frame++) {
      for (const [kind, stage] of [['stored', 'stored'], ['modality', 'modality'], ['display', 'display']] as const) {
        expect((await compare('synthetic_m_multiframe', `frame${frame}.${kind}`, stage, frame)).worst, `frame ${frame} ${kind}`).toBeLessThanOrEqual(1e-3);
      }
    }
  });

  it('the card’s window reaches the model as 8 bits, independent of the file’s window; a modality range as 16 bits', async () => {
    const image = open('CT_small');
    const windowed = await dicomModelImage(image, resolveDicomInput({ input: 'window', window: { center: 40, width: 80 } }));
    const modality = await image.stage(0, 'modality');
    expect(windowed.image).toMatchObject({ width: 128, height: 128, channels: 1, bitDepth: 8 });
    for (const i of [0, 1000, 8000, 16383]) expect(windowed.image.data[i]).toBe(expectedByte(modality.data[i]));
    const ranged = await dicomModelImage(image, resolveDicomInput({ range: [-1000, 1000] }));
    expect(ranged.image.bitDepth).toBe(16);
    const hu = modality.data[5000];
    expect(ranged.image.data[5000]).toBe(Math.max(0, Math.min(65535, Math.round(((hu + 1000) * 65535) / 2000))));
    expect(() => resolveDicomInput({ input: 'window' })).toThrow(/dicom.window/);
  });
});

/** A window of c 40, w 80 onto CT_small's output range, then scaled to 0…255 (the card's "window" input). */
function expectedByte(hu: number): number {
  const [ymin, ymax] = [-33792, 31743]; // signed 16-bit stored range through intercept −1024
  const y = windowValue(hu, { center: 40, width: 80, fn: 'LINEAR' }, ymin, ymax);
  return Math.max(0, Math.min(255, Math.round(((y - ymin) * 255) / (ymax - ymin))));
}
