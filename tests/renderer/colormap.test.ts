import { describe, expect, it } from 'vitest';
import {
  COLORMAPS,
  colormapGradientCss,
  defaultColormap,
  displayScale,
  heatmapToRgba,
  normalise,
  sampleColormap,
  toHex,
} from '../../src/core/display/colormap';

const pixel = (rgba: Uint8ClampedArray, i: number) => Array.from(rgba.slice(i * 4, i * 4 + 4));

describe('colour map tables', () => {
  it('has matplotlib viridis, inferno and cividis endpoints', () => {
    expect(toHex(sampleColormap('viridis', 0))).toBe('#440154');
    expect(toHex(sampleColormap('viridis', 1))).toBe('#fde725');
    expect(toHex(sampleColormap('inferno', 0))).toBe('#000004');
    expect(toHex(sampleColormap('inferno', 1))).toBe('#fcffa4');
    expect(toHex(sampleColormap('cividis', 0))).toBe('#00224e');
    expect(toHex(sampleColormap('cividis', 1))).toBe('#fee838');
  });

  it('has viridis entry 128, matplotlib viridis(0.5) = (0.127568, 0.566949, 0.550556), in the middle', () => {
    // entry 128 of 256 sits at t = 128 / 255
    expect(sampleColormap('viridis', 128 / 255)).toEqual([33, 145, 140]);
  });

  it('rises monotonically in luminance for the sequential maps', () => {
    for (const id of ['viridis', 'inferno', 'cividis'] as const) {
      let previous = -1;
      for (let i = 0; i <= 64; i += 1) {
        const [r, g, b] = sampleColormap(id, i / 64);
        const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        expect(luminance).toBeGreaterThanOrEqual(previous);
        previous = luminance;
      }
    }
  });

  it('diverging map: blue for negative, neutral white at the centre, red for positive', () => {
    expect(toHex(sampleColormap('rdbu', 0.5))).toBe('#f7f7f7');
    const [r0, , b0] = sampleColormap('rdbu', 0);
    const [r1, , b1] = sampleColormap('rdbu', 1);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
  });

  it('jet matches matplotlib at its ends and is never the default', () => {
    expect(sampleColormap('jet', 0)).toEqual([0, 0, 128]);
    expect(sampleColormap('jet', 1)).toEqual([128, 0, 0]);
    expect(defaultColormap(true)).toBe('rdbu');
    expect(defaultColormap(false)).toBe('viridis');
    expect(COLORMAPS.find((c) => c.id === 'jet')?.label).toBe('jet (pytorch-grad-cam look)');
  });

  it('clamps t outside [0, 1] and maps NaN to the start', () => {
    expect(sampleColormap('viridis', -3)).toEqual(sampleColormap('viridis', 0));
    expect(sampleColormap('viridis', 7)).toEqual(sampleColormap('viridis', 1));
    expect(sampleColormap('viridis', Number.NaN)).toEqual(sampleColormap('viridis', 0));
  });

  it('builds a CSS gradient from the first to the last colour', () => {
    const css = colormapGradientCss('viridis', 'to right', 4);
    expect(css.startsWith('linear-gradient(to right, #440154 0.00%')).toBe(true);
    expect(css.endsWith('#fde725 100.00%)')).toBe(true);
  });
});

describe('display scale', () => {
  it('is symmetric ±max|v| for signed maps', () => {
    expect(displayScale({ min: -2, max: 5 }, true)).toEqual({ signed: true, lo: -5, hi: 5, absMax: 5 });
    expect(displayScale({ min: -7, max: 1 }, true)).toEqual({ signed: true, lo: -7, hi: 7, absMax: 7 });
  });

  it('uses the raw min–max for unsigned maps', () => {
    expect(displayScale({ min: 0.5, max: 4 }, false)).toEqual({ signed: false, lo: 0.5, hi: 4, absMax: 4 });
  });

  it('puts 0 of a signed map at the centre, and handles a flat map', () => {
    expect(normalise(0, displayScale({ min: -1, max: 3 }, true))).toBe(0.5);
    expect(normalise(-3, displayScale({ min: -1, max: 3 }, true))).toBe(0);
    expect(normalise(0, displayScale({ min: 0, max: 0 }, true))).toBe(0.5);
    expect(normalise(2, displayScale({ min: 2, max: 2 }, false))).toBe(0);
  });
});

describe('heatmapToRgba', () => {
  it('colours an unsigned map from its min to its max', () => {
    const rgba = heatmapToRgba(new Float32Array([0, 1, 2]), displayScale({ min: 0, max: 2 }, false), 'viridis');
    expect(pixel(rgba, 0)).toEqual([0x44, 0x01, 0x54, 255]);
    expect(pixel(rgba, 2)).toEqual([0xfd, 0xe7, 0x25, 255]);
    expect(pixel(rgba, 1)).toEqual([...sampleColormap('viridis', 0.5), 255]);
  });

  it('maps a signed 0 to the neutral centre and ±L to the ends', () => {
    const scale = displayScale({ min: -0.5, max: 2 }, true); // L = 2
    const rgba = heatmapToRgba([0, -2, 2, -0.5], scale, 'rdbu');
    expect(pixel(rgba, 0)).toEqual([0xf7, 0xf7, 0xf7, 255]);
    expect(pixel(rgba, 1)).toEqual([0x05, 0x30, 0x61, 255]);
    expect(pixel(rgba, 2)).toEqual([0x67, 0x00, 0x1f, 255]);
    // -0.5 is a quarter of the way from the centre towards blue: symmetric, not min–max
    expect(pixel(rgba, 3)).toEqual([...sampleColormap('rdbu', 0.375), 255]);
  });

  it('makes |v| below threshold · max|v| fully transparent, in both signs', () => {
    const scale = displayScale({ min: -10, max: 10 }, true);
    const rgba = heatmapToRgba([1, -2.9, 3, -3, 10], scale, 'rdbu', 0.3);
    expect(pixel(rgba, 0)[3]).toBe(0);
    expect(pixel(rgba, 1)[3]).toBe(0);
    expect(pixel(rgba, 2)[3]).toBe(255);
    expect(pixel(rgba, 3)[3]).toBe(255);
    expect(pixel(rgba, 4)[3]).toBe(255);
  });

  it('hides nothing at threshold 0 and hides non-finite values always', () => {
    const rgba = heatmapToRgba([0, Number.NaN, Number.POSITIVE_INFINITY], displayScale({ min: 0, max: 1 }, false), 'inferno', 0);
    expect(pixel(rgba, 0)).toEqual([0, 0, 4, 255]);
    expect(pixel(rgba, 1)).toEqual([0, 0, 0, 0]);
    expect(pixel(rgba, 2)).toEqual([0, 0, 0, 0]);
  });

  it('clamps values outside the scale to the end colours', () => {
    const rgba = heatmapToRgba([-5, 5], displayScale({ min: 0, max: 1 }, false), 'viridis');
    expect(pixel(rgba, 0)).toEqual([0x44, 0x01, 0x54, 255]);
    expect(pixel(rgba, 1)).toEqual([0xfd, 0xe7, 0x25, 255]);
  });
});
