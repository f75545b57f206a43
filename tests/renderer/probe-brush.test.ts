// The probe brush's pure parts: preview pixels → model-input pixels exactly as preprocessing crops
// and resizes (checked against the real sharp pipeline), the swept-ellipse stamp, the run-length
// codec, and the session's latest-wins request scheduling.
import { describe, expect, it } from 'vitest';
import type { BinaryMask, ProbeResult, ResolvedPreprocessing } from '../../src/api/schemas';
import type { DecodedImage } from '../../src/core/image/decode';
import { modelCrop } from '../../src/core/image/model-region';
import { fitImageSize } from '../../src/core/image/preprocess';
import { decodeMask, encodeMask, maskedCount } from '../../src/core/tensor/binary-mask';
import { brushRadii, previewToMask, stampStroke, type BrushGeometry } from '../../src/renderer/src/probe/brush';
import { ProbeSession, type ProbeQuestion } from '../../src/renderer/src/probe/session';

function prep(width: number, height: number, resize: 'stretch' | 'center-crop'): ResolvedPreprocessing {
  return { layout: 'NCHW', channels: 1, width, height, channelOrder: 'RGB', scale: 1, mean: [0], std: [1], colorToGray: null, resize };
}

/** A grey image black left of column `edge` and white from it on. */
function stepImage(width: number, height: number, edge: number): DecodedImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.fill(255, y * width + edge, (y + 1) * width);
  return { width, height, channels: 1, bitDepth: 8, data } as DecodedImage;
}

describe('brush geometry', () => {
  it('maps a preview point to the model-input pixel that preprocessing puts it in (centre crop)', async () => {
    // 300×200 centre-cropped to 100×100: the model sees columns 50–249, so image column 170 is model column 60.
    const image = stepImage(300, 200, 170);
    const p = prep(100, 100, 'center-crop');
    const fitted = await fitImageSize(image, p);
    const crop = modelCrop(300, 200, p);
    expect(crop).toMatchObject({ left: 50, top: 0, width: 200, height: 200 });
    expect(fitted.region).toEqual(crop.region);
    // The preview is drawn at half size; the brush point on the edge, in preview pixels:
    const geometry: BrushGeometry = { previewWidth: 150, previewHeight: 100, region: crop.region, maskWidth: 100, maskHeight: 100 };
    const at = previewToMask(geometry, 85, 50);
    expect(at.x).toBeCloseTo(60, 10);
    expect(at.y).toBeCloseTo(50, 10);
    // …and the fitted model image changes from black to white exactly there.
    const row = Array.from(fitted.image.data.subarray(50 * 100, 51 * 100));
    expect(row[58]).toBe(0);
    expect(row[61]).toBe(255);
    expect(row.findIndex((v) => v > 127)).toBe(60);
  });

  it('a round brush is an ellipse in model pixels when the card stretches a non-square image', () => {
    const geometry: BrushGeometry = { previewWidth: 400, previewHeight: 100, region: modelCrop(400, 100, prep(50, 50, 'stretch')).region, maskWidth: 50, maskHeight: 50 };
    expect(brushRadii(geometry, 40)).toEqual({ rx: 5, ry: 20 });
    expect(previewToMask(geometry, 400, 100)).toEqual({ x: 50, y: 50 });
  });

  it('a stamp covers the pixels whose centres lie in the disc, and a drag leaves no gaps', () => {
    const mask = new Uint8Array(100 * 100);
    const dot = stampStroke(mask, 100, 100, { x: 50, y: 50 }, { x: 50, y: 50 }, 10, 10, 1);
    expect(Math.abs(dot - Math.PI * 100) / (Math.PI * 100)).toBeLessThan(0.03);
    expect(mask[50 * 100 + 50]).toBe(1);
    expect(mask[50 * 100 + 61]).toBe(0);
    mask.fill(0);
    const swept = stampStroke(mask, 100, 100, { x: 10, y: 50 }, { x: 90, y: 50 }, 3, 3, 1);
    expect(Math.abs(swept - (80 * 6 + Math.PI * 9)) / swept).toBeLessThan(0.04);
    for (let x = 10; x < 90; x++) for (let y = 48; y <= 51; y++) expect(mask[y * 100 + x]).toBe(1);
    // erasing the middle clears only what it covers, and reports how many pixels changed
    const erased = stampStroke(mask, 100, 100, { x: 50, y: 50 }, { x: 50, y: 50 }, 3, 3, 0);
    expect(erased).toBeGreaterThan(20);
    expect(maskedCount(encodeMask(100, 100, mask))).toBe(swept - erased);
    // stamps beyond the edge are clipped, not wrapped
    mask.fill(0);
    expect(stampStroke(mask, 100, 100, { x: -5, y: 0 }, { x: -5, y: 0 }, 8, 8, 1)).toBeGreaterThan(0);
    expect(mask[99]).toBe(0);
    expect(mask[100 * 100 - 1]).toBe(0);
  });

  it('the run-length codec round-trips and refuses runs of the wrong total', () => {
    const pixels = Uint8Array.from([1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 0]);
    const mask = encodeMask(4, 3, pixels);
    expect(mask.runs).toEqual([0, 2, 3, 1, 1, 4, 1]);
    expect(Array.from(decodeMask(mask))).toEqual(Array.from(pixels));
    expect(maskedCount(mask)).toBe(7);
    expect(() => decodeMask({ width: 4, height: 3, runs: [5, 2] })).toThrow(/cover 7 pixels, not 4×3/);
  });
});

describe('probe session', () => {
  function controlled() {
    const calls: { mask: BinaryMask; question: ProbeQuestion; resolve: (r: ProbeResult) => void }[] = [];
    const session = new ProbeSession(
      20,
      20,
      (mask, question) => new Promise<ProbeResult>((resolve) => calls.push({ mask, question, resolve })),
      (error) => {
        throw error;
      },
    );
    const answer = (i: number) => {
      const masked = maskedCount(calls[i].mask);
      calls[i].resolve({ maskedPixels: masked } as ProbeResult);
    };
    return { session, calls, answer };
  }
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('keeps one request in flight and sends the newest mask when it returns; the stroke settles on its final mask', async () => {
    const { session, calls, answer } = controlled();
    session.stroke('down', { x: 5, y: 5 }, 2, 2, 1);
    session.stroke('move', { x: 8, y: 5 }, 2, 2, 1);
    session.stroke('move', { x: 12, y: 5 }, 2, 2, 1);
    session.stroke('up', { x: 15, y: 5 }, 2, 2, 1);
    expect(calls).toHaveLength(1);
    const final = session.getSnapshot().paintedCount;
    expect(final).toBe(maskedCount(session.encoded()));
    answer(0);
    await flush();
    expect(session.getSnapshot().strokeLatencyMs).toBeNull();
    expect(calls).toHaveLength(2);
    expect(maskedCount(calls[1].mask)).toBe(final);
    answer(1);
    await flush();
    const snapshot = session.getSnapshot();
    expect(snapshot.result?.maskedPixels).toBe(final);
    expect(snapshot.answers).toBe(2);
    expect(snapshot.pending).toBe(false);
    expect(snapshot.strokeLatencyMs).not.toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('warms the engine once per masker with an empty mask, leaving what the panel shows alone', async () => {
    const { session, calls } = controlled();
    const before = session.getSnapshot();
    session.warm();
    session.warm();
    expect(calls).toHaveLength(1);
    expect(maskedCount(calls[0].mask)).toBe(0);
    expect(calls[0].question.preview).toBe(false);
    session.ask({ masker: 'zero', target: null, preview: true });
    session.warm();
    expect(calls).toHaveLength(2);
    expect(calls[1].question).toMatchObject({ masker: 'zero', preview: false });
    expect(session.getSnapshot()).toBe(before);
  });

  it('a new masker re-asks about the same mask; clearing drops the answer without a request', async () => {
    const { session, calls, answer } = controlled();
    session.ask({ masker: 'blur', target: null, preview: false });
    expect(calls).toHaveLength(0);
    session.stroke('down', { x: 10, y: 10 }, 3, 3, 1);
    session.stroke('up', { x: 10, y: 10 }, 3, 3, 1);
    answer(0);
    await flush();
    session.ask({ masker: 'zero', target: 3, preview: false });
    expect(calls).toHaveLength(2);
    expect(calls[1].question).toEqual({ masker: 'zero', target: 3, preview: false });
    answer(1);
    await flush();
    session.clear();
    expect(session.getSnapshot()).toMatchObject({ paintedCount: 0, result: null, pending: false });
    expect(calls).toHaveLength(2);
    session.load(decodeMask(calls[0].mask));
    expect(session.getSnapshot().paintedCount).toBe(maskedCount(calls[0].mask));
    expect(calls).toHaveLength(3);
    expect(() => session.load(new Uint8Array(7))).toThrow(/7 pixels/);
  });
});
