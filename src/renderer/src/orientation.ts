// How the image is turned on screen (OHIF's r/l rotate, h/v flip, i invert, space reset): applied
// to every viewer layer about the image centre, so overlays and annotations stay in image
// coordinates; and the view that fits the turned image into the viewer.
export interface Orientation {
  /** clockwise quarter turns, 0–3 */
  quarterTurns: number;
  flipH: boolean;
  flipV: boolean;
  inverted: boolean;
}

export const UPRIGHT: Orientation = { quarterTurns: 0, flipH: false, flipV: false, inverted: false };

export interface View {
  x: number;
  y: number;
  scale: number;
}

/** Konva layer attributes that turn an image of width × height about its centre. */
export function layerTransform(o: Orientation, width: number, height: number) {
  return {
    x: width / 2,
    y: height / 2,
    offsetX: width / 2,
    offsetY: height / 2,
    rotation: o.quarterTurns * 90,
    scaleX: o.flipH ? -1 : 1,
    scaleY: o.flipV ? -1 : 1,
  };
}

/** The stage view that fits the turned image into width × height (96 %), centred. */
export function fitOrientedView(o: Orientation, imageWidth: number, imageHeight: number, width: number, height: number): View {
  if (imageWidth <= 0 || imageHeight <= 0 || width <= 0 || height <= 0) return { x: 0, y: 0, scale: 1 };
  const sideways = o.quarterTurns % 2 === 1;
  const boxWidth = sideways ? imageHeight : imageWidth;
  const boxHeight = sideways ? imageWidth : imageHeight;
  const scale = Math.min(width / boxWidth, height / boxHeight) * 0.96;
  // The turned image stays centred on the unturned image's centre.
  const left = imageWidth / 2 - boxWidth / 2;
  const top = imageHeight / 2 - boxHeight / 2;
  return { scale, x: (width - boxWidth * scale) / 2 - left * scale, y: (height - boxHeight * scale) / 2 - top * scale };
}

/** The orientation after an OHIF key, or null when the key is not one of them. */
export function orientationKey(o: Orientation, key: string): Orientation | null {
  switch (key) {
    case 'r':
      return { ...o, quarterTurns: (o.quarterTurns + 1) % 4 };
    case 'l':
      return { ...o, quarterTurns: (o.quarterTurns + 3) % 4 };
    case 'h':
      return { ...o, flipH: !o.flipH };
    case 'v':
      return { ...o, flipV: !o.flipV };
    case 'i':
      return { ...o, inverted: !o.inverted };
    default:
      return null;
  }
}
