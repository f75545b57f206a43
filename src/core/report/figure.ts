// The report's figures: the image with the explanation's overlay (one raster, composed by the same
// code as the CLI's PNG), the clinician's annotations drawn on top as vector paths in image
// coordinates, the pointing-game peak, and a vector colour bar with the raw range and its units.
import sharp from 'sharp';
import type { Annotation, Point } from '../../api/case-schemas';
import type { StoredProbe } from '../../api/schemas';
import { decodeMask } from '../tensor/binary-mask';
import { describeNormalisation, displayScale, normalise, sampleColormap, toHex, type ColormapId, type DisplayScale } from '../display/colormap';
import { formatValue } from '../display/number-format';
import { renderOverlayPng } from '../display/overlay';
import { dataUrlBytes } from '../image/data-url';
import { INK, SIZE, type Doc } from './page-flow';
import type { ReportExplanation } from './report-data';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const ANNOTATION_COLOUR = '#ffd34d';
const PEAK_INSIDE = '#2fbf71';
const PEAK_OUTSIDE = '#ff9d4d';
/** Larger rasters are scaled down: the page never shows more than this many pixels per side. */
const MAX_RASTER_SIDE = 1024;
const COLOUR_BAR_STEPS = 96;

/** The largest box of the image's aspect ratio inside `width` × `height`, at the top left. */
export function fitImage(imageWidth: number, imageHeight: number, width: number, height: number): { width: number; height: number } {
  const scale = Math.min(width / Math.max(1, imageWidth), height / Math.max(1, imageHeight));
  return { width: imageWidth * scale, height: imageHeight * scale };
}

/** The image with the explanation's overlay as one PNG (or the bare image when there is none). */
export async function overlayRaster(previewPng: string, explanation: ReportExplanation | null): Promise<Buffer | null> {
  let png: Buffer;
  if (explanation) png = await renderOverlayPng(previewPng, explanation.record, explanation.look.opacity, explanation.look);
  else if (previewPng) png = dataUrlBytes(previewPng);
  else return null;
  // Flattened to opaque RGB: one image per figure, no soft mask.
  return sharp(png).flatten({ background: '#000000' }).resize({ width: MAX_RASTER_SIDE, height: MAX_RASTER_SIDE, fit: 'inside', withoutEnlargement: true }).png().toBuffer();
}

export interface ImageFigure {
  raster: Buffer | null;
  /** the original image's size: annotations are stored in its pixels */
  imageWidth: number;
  imageHeight: number;
  annotations: readonly Annotation[];
  peak: { at: Point; hit: boolean } | null;
  /** labels of annotations are drawn in the large figure only */
  labels: boolean;
}

/** Draws the raster into `box` and the annotations over it, clipped to the image. */
export function drawImageFigure(doc: Doc, box: Box, figure: ImageFigure): void {
  doc.save();
  doc.rect(box.x, box.y, box.width, box.height).fill('#20242a');
  if (figure.raster) doc.image(figure.raster, box.x, box.y, { width: box.width, height: box.height });
  else {
    doc.font('regular').fontSize(SIZE.small).fillColor('#d0d5db');
    doc.text('No image preview', box.x, box.y + box.height / 2 - 4, { width: box.width, align: 'center', lineBreak: false });
  }
  doc.rect(box.x, box.y, box.width, box.height).clip();
  const sx = box.width / Math.max(1, figure.imageWidth);
  const sy = box.height / Math.max(1, figure.imageHeight);
  const at = ([x, y]: Point): [number, number] => [box.x + x * sx, box.y + y * sy];
  const stroke = figure.labels ? 1.6 : 1;
  for (const annotation of figure.annotations) drawAnnotation(doc, annotation, at, stroke, figure.labels);
  if (figure.peak) {
    const [px, py] = at(figure.peak.at);
    const arm = figure.labels ? 6 : 4;
    doc.lineWidth(stroke + 0.4).strokeColor(figure.peak.hit ? PEAK_INSIDE : PEAK_OUTSIDE);
    doc.moveTo(px - arm, py).lineTo(px + arm, py).moveTo(px, py - arm).lineTo(px, py + arm).stroke();
  }
  doc.restore();
  doc.rect(box.x, box.y, box.width, box.height).lineWidth(0.5).strokeColor(INK.rule).stroke();
}

function drawAnnotation(doc: Doc, annotation: Annotation, at: (p: Point) => [number, number], stroke: number, labels: boolean): void {
  const points = annotation.points.map(at);
  doc.lineWidth(stroke).strokeColor(ANNOTATION_COLOUR).fillColor(ANNOTATION_COLOUR);
  const [a, b] = points;
  switch (annotation.kind) {
    case 'rectangle':
      doc.rect(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1])).stroke();
      break;
    case 'ellipse':
      doc.ellipse((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, Math.abs(b[0] - a[0]) / 2, Math.abs(b[1] - a[1]) / 2).stroke();
      break;
    case 'polygon':
    case 'freehand':
      doc.moveTo(...a);
      for (const p of points.slice(1)) doc.lineTo(...p);
      doc.closePath().stroke();
      break;
    case 'arrow': {
      // points = [head, tail]: the line runs from the tail and ends in a filled head.
      const angle = Math.atan2(a[1] - b[1], a[0] - b[0]);
      const length = stroke * 6;
      const wing = (side: number): [number, number] => [a[0] - length * Math.cos(angle + side * 0.45), a[1] - length * Math.sin(angle + side * 0.45)];
      doc.moveTo(...b).lineTo(...a).stroke();
      doc.moveTo(...a).lineTo(...wing(1)).lineTo(...wing(-1)).closePath().fill();
      break;
    }
    case 'text':
      break;
  }
  const caption = annotation.kind === 'text' ? annotation.label || 'Text' : annotation.label;
  if (labels && caption) {
    const anchor = annotation.kind === 'arrow' ? b : a;
    doc.font('bold').fontSize(SIZE.small).fillColor(ANNOTATION_COLOUR);
    doc.text(caption, anchor[0] + 2, anchor[1] - (annotation.kind === 'text' ? 0 : 11), { lineBreak: false });
  }
}

export interface ColourBar {
  scale: DisplayScale;
  colormap: ColormapId;
  unit: string;
  threshold: number;
}

/** The display scale of an explanation as its figure draws it. */
export function colourBarOf(explanation: ReportExplanation): ColourBar {
  const { record, look } = explanation;
  return { scale: displayScale(record.heatmapRange, record.signed), colormap: look.colormap, unit: record.unit, threshold: look.threshold };
}

/**
 * A colour bar of the raw values in `box`: vertical (high at the top) with tick labels to its right,
 * or horizontal (low at the left) with tick labels below. The band the threshold hides is greyed.
 */
export function drawColourBar(doc: Doc, box: Box, bar: ColourBar, orientation: 'vertical' | 'horizontal'): void {
  const vertical = orientation === 'vertical';
  const length = vertical ? box.height : box.width;
  const step = length / COLOUR_BAR_STEPS;
  for (let i = 0; i < COLOUR_BAR_STEPS; i++) {
    const colour = toHex(sampleColormap(bar.colormap, (i + 0.5) / COLOUR_BAR_STEPS));
    // Each band overlaps the next by a hair so no seam shows between them.
    if (vertical) doc.rect(box.x, box.y + box.height - (i + 1) * step, box.width, step + 0.3).fill(colour);
    else doc.rect(box.x + i * step, box.y, step + 0.3, box.height).fill(colour);
  }
  const cut = bar.threshold * bar.scale.absMax;
  if (cut > 0) {
    const from = normalise(-cut, bar.scale);
    const to = normalise(cut, bar.scale);
    doc.save().fillOpacity(0.65);
    if (vertical) doc.rect(box.x, box.y + box.height * (1 - to), box.width, box.height * (to - from)).fill('#ffffff');
    else doc.rect(box.x + box.width * from, box.y, box.width * (to - from), box.height).fill('#ffffff');
    doc.restore();
  }
  doc.rect(box.x, box.y, box.width, box.height).lineWidth(0.5).strokeColor(INK.muted).stroke();
  const ticks: [number, string][] = [
    [0, formatValue(bar.scale.lo)],
    [1, formatValue(bar.scale.hi)],
  ];
  if (bar.scale.signed) ticks.push([0.5, '0']);
  doc.font('regular').fontSize(SIZE.caption).fillColor(INK.text);
  for (const [t, label] of ticks) {
    if (vertical) doc.text(label, box.x + box.width + 3, box.y + box.height * (1 - t) - 3.5, { lineBreak: false });
    else {
      const width = doc.widthOfString(label);
      const x = Math.min(Math.max(box.x + box.width * t - width / 2, box.x), box.x + box.width - width);
      doc.text(label, x, box.y + box.height + 2, { lineBreak: false });
    }
  }
}

/** The colour bar's caption: raw range with units, normalisation, and how the overlay is drawn. */
export function colourBarCaption(explanation: ReportExplanation): { values: string; normalisation: string; look: string } {
  const { scale } = colourBarOf(explanation);
  const { record, look } = explanation;
  const hidden = look.threshold > 0 ? `values with |v| < ${Math.round(look.threshold * 100)}% of max|v| hidden` : 'nothing hidden (threshold 0)';
  return {
    values: `${formatValue(record.heatmapRange.min)} to ${formatValue(record.heatmapRange.max)} ${record.unit} (raw)`,
    normalisation: `${describeNormalisation(scale)}; bar ${formatValue(scale.lo)} to ${formatValue(scale.hi)}`,
    look: `colour map ${look.colormap}, opacity ${Math.round(look.opacity * 100)}%, ${hidden}`,
  };
}

/** The painted region's tint in a probe's thumbnail (RGB and its weight over the image). */
const PROBE_TINT = { rgb: [255, 64, 200] as const, weight: 0.55 };

/**
 * A probe's thumbnail: the part of the image the model saw (the probe's region of the preview),
 * at the mask's size, with the hidden pixels tinted — what was hidden, where.
 */
export async function probeRaster(previewPng: string, probe: Pick<StoredProbe, 'mask' | 'region'>): Promise<Buffer | null> {
  if (!previewPng) return null;
  const base = sharp(dataUrlBytes(previewPng));
  const meta = await base.metadata();
  const [width, height] = [meta.width ?? 0, meta.height ?? 0];
  if (width === 0 || height === 0) return null;
  const { region, mask } = probe;
  const left = Math.min(width - 1, Math.max(0, Math.round(region.x * width)));
  const top = Math.min(height - 1, Math.max(0, Math.round(region.y * height)));
  const crop = { left, top, width: Math.max(1, Math.min(width - left, Math.round(region.width * width))), height: Math.max(1, Math.min(height - top, Math.round(region.height * height))) };
  const rgb = await base
    .flatten({ background: '#000000' })
    .extract(crop)
    .resize({ width: mask.width, height: mask.height, fit: 'fill', kernel: 'linear' })
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  const hidden = decodeMask(mask);
  const { rgb: tint, weight } = PROBE_TINT;
  for (let p = 0; p < hidden.length; p++) {
    if (!hidden[p]) continue;
    for (let k = 0; k < 3; k++) rgb[p * 3 + k] = Math.round((1 - weight) * rgb[p * 3 + k] + weight * tint[k]);
  }
  return sharp(rgb, { raw: { width: mask.width, height: mask.height, channels: 3 } }).png().toBuffer();
}
