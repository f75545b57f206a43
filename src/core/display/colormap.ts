// Colour maps and the heatmap → RGBA mapping (product conventions §1.2). Pure: no DOM, so it runs
// in node under vitest. The raw values are never changed here; this only decides how they look.

export type ColormapId = 'viridis' | 'inferno' | 'cividis' | 'rdbu' | 'jet';
export type ColormapKind = 'sequential' | 'diverging' | 'rainbow';
export type Rgb = readonly [number, number, number];

export interface ColormapInfo {
  id: ColormapId;
  label: string;
  kind: ColormapKind;
}

/** In menu order. Jet is opt-in only: its uneven lightness draws edges that are not in the data. */
export const COLORMAPS: readonly ColormapInfo[] = [
  { id: 'viridis', label: 'viridis', kind: 'sequential' },
  { id: 'inferno', label: 'inferno', kind: 'sequential' },
  { id: 'cividis', label: 'cividis', kind: 'sequential' },
  { id: 'rdbu', label: 'RdBu (blue − · white 0 · red +)', kind: 'diverging' },
  { id: 'jet', label: 'jet (pytorch-grad-cam look)', kind: 'rainbow' },
];

export function isColormapId(value: string): value is ColormapId {
  return COLORMAPS.some((c) => c.id === value);
}

/** Signed maps get a diverging map centred at 0; unsigned ones a perceptually uniform sequential map. */
export function defaultColormap(signed: boolean): ColormapId {
  return signed ? 'rdbu' : 'viridis';
}

// matplotlib's 256-entry tables (lib/matplotlib/_cm_listed.py), each entry rounded to 8 bits, as hex.
const TABLES: Record<'viridis' | 'inferno' | 'cividis', string> = {
  viridis:
  '44015444025645045745055946075a46085c460a5d460b5e470d60470e61471063471164471365481467481668481769' +
  '48186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a' +
  '472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f85' +
  '4240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b' +
  '3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d' +
  '33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e' +
  '2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e' +
  '26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d' +
  '21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f88' +
  '1fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81' +
  '28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc74' +
  '3fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863' +
  '5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d' +
  '84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32' +
  'addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21a' +
  'd8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725',
  inferno:
  '00000401000501010601010802010a02020c02020e03021004031204031405041706041907051b08051d09061f0a0722' +
  '0b07240c08260d08290e092b10092d110a30120a32140b34150b37160b39180c3c190c3e1b0c411c0c431e0c451f0c48' +
  '210c4a230c4c240c4f260c51280b53290b552b0b572d0b592f0a5b310a5c320a5e340a5f3609613809623909633b0964' +
  '3d09653e0966400a67420a68440a68450a69470b6a490b6a4a0c6b4c0c6b4d0d6c4f0d6c510e6c520e6d540f6d550f6d' +
  '57106e59106e5a116e5c126e5d126e5f136e61136e62146e64156e65156e67166e69166e6a176e6c186e6d186e6f196e' +
  '71196e721a6e741a6e751b6e771c6d781c6d7a1d6d7c1d6d7d1e6d7f1e6c801f6c82206c84206b85216b87216b88226a' +
  '8a226a8c23698d23698f24699025689225689326679526679727669827669a28659b29649d29649f2a63a02a63a22b62' +
  'a32c61a52c60a62d60a82e5fa92e5eab2f5ead305dae305cb0315bb1325ab3325ab43359b63458b73557b93556ba3655' +
  'bc3754bd3853bf3952c03a51c13a50c33b4fc43c4ec63d4dc73e4cc83f4bca404acb4149cc4248ce4347cf4446d04545' +
  'd24644d34743d44842d54a41d74b3fd84c3ed94d3dda4e3cdb503bdd513ade5238df5337e05536e15635e25734e35933' +
  'e45a31e55c30e65d2fe75e2ee8602de9612bea632aeb6429eb6628ec6726ed6925ee6a24ef6c23ef6e21f06f20f1711f' +
  'f1731df2741cf3761bf37819f47918f57b17f57d15f67e14f68013f78212f78410f8850ff8870ef8890cf98b0bf98c0a' +
  'f98e09fa9008fa9207fa9407fb9606fb9706fb9906fb9b06fb9d07fc9f07fca108fca309fca50afca60cfca80dfcaa0f' +
  'fcac11fcae12fcb014fcb216fcb418fbb61afbb81dfbba1ffbbc21fbbe23fac026fac228fac42afac62df9c72ff9c932' +
  'f9cb35f8cd37f8cf3af7d13df7d340f6d543f6d746f5d949f5db4cf4dd4ff4df53f4e156f3e35af3e55df2e661f2e865' +
  'f2ea69f1ec6df1ed71f1ef75f1f179f2f27df2f482f3f586f3f68af4f88ef5f992f6fa96f8fb9af9fc9dfafda1fcffa4',
  cividis:
  '00224e00234f00245100255300255400265600275800285900285b00295d002a5f002a61002b62002c64002c66002d68' +
  '002e6a002e6c002f6d00306f0030700031700031710132710533710833700c34700f357012357014367016377018376f' +
  '1a386f1c396f1e3a6f203a6f213b6e233c6e243c6e263d6e273e6e293f6e2a3f6d2b406d2d416d2e416d2f426d31436d' +
  '32436d33446d34456c35456c36466c38476c39486c3a486c3b496c3c4a6c3d4a6c3e4b6c3f4c6c404c6c414d6c424e6c' +
  '434e6c444f6c45506c46516c47516c48526c49536c4a536c4b546c4c556c4d556c4e566c4f576c50576c51586d52596d' +
  '535a6d545a6d555b6d555c6d565c6d575d6d585e6d595e6e5a5f6e5b606e5c616e5d616e5e626e5e636f5f636f60646f' +
  '61656f62656f636670646770656870656870666970676a71686a71696b716a6c716b6d726c6d726c6e726d6f726e6f73' +
  '6f70737071737172747272747273747374757474757575757676767777767777777878777979777a7a787b7a787c7b78' +
  '7d7c787e7c787e7d787f7e78807f78817f788280798381798482798582798683798784788885788985788a86788b8778' +
  '8c88788d88788e89788f8a78908b78918b78928c78928d78938e78948e77958f779690779791779892779992779a9376' +
  '9b94769c95769d95769e96769f9775a09875a19975a29975a39a74a49b74a59c74a69c74a79d73a89e73a99f73aaa073' +
  'aba072aca172ada272aea371afa471b0a571b1a570b3a670b4a76fb5a86fb6a96fb7a96eb8aa6eb9ab6dbaac6dbbad6d' +
  'bcae6cbdae6cbeaf6bbfb06bc0b16ac1b26ac2b369c3b369c4b468c5b568c6b667c7b767c8b866c9b965cbb965ccba64' +
  'cdbb63cebc63cfbd62d0be62d1bf61d2c060d3c05fd4c15fd5c25ed6c35dd7c45cd9c55cdac65bdbc75adcc859ddc858' +
  'dec958dfca57e0cb56e1cc55e2cd54e4ce53e5cf52e6d051e7d150e8d24fe9d34eead34cebd44bedd54aeed649efd748' +
  'f0d846f1d945f2da44f3db42f5dc41f6dd3ff7de3ef8df3cf9e03afbe138fce236fde334fee434fee535fee636fee838',
};

const decodedTables = new Map<string, Uint8Array>();
function table(id: keyof typeof TABLES): Uint8Array {
  let rgb = decodedTables.get(id);
  if (!rgb) {
    const hex = TABLES[id];
    rgb = new Uint8Array(hex.length / 2);
    for (let i = 0; i < rgb.length; i += 1) rgb[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    decodedTables.set(id, rgb);
  }
  return rgb;
}

// ColorBrewer RdBu (11 classes), reversed so that negative is blue and positive red; #f7f7f7 at 0.
const RDBU_STOPS: readonly Rgb[] = [
  [0x05, 0x30, 0x61], [0x21, 0x66, 0xac], [0x43, 0x93, 0xc3], [0x92, 0xc5, 0xde], [0xd1, 0xe5, 0xf0],
  [0xf7, 0xf7, 0xf7],
  [0xfd, 0xdb, 0xc7], [0xf4, 0xa5, 0x82], [0xd6, 0x60, 0x4d], [0xb2, 0x18, 0x2b], [0x67, 0x00, 0x1f],
];

// matplotlib's jet segment data: [position, value] per channel.
const JET: readonly (readonly (readonly [number, number])[])[] = [
  [[0, 0], [0.35, 0], [0.66, 1], [0.89, 1], [1, 0.5]],
  [[0, 0], [0.125, 0], [0.375, 1], [0.64, 1], [0.91, 0], [1, 0]],
  [[0, 0.5], [0.11, 1], [0.34, 1], [0.65, 0], [1, 0]],
];

function piecewise(points: readonly (readonly [number, number])[], t: number): number {
  for (let i = 1; i < points.length; i += 1) {
    const [x1, y1] = points[i];
    if (t <= x1) {
      const [x0, y0] = points[i - 1];
      return x1 === x0 ? y1 : y0 + ((t - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return points[points.length - 1][1];
}

function rgbOf(channel: (c: number) => number): Rgb {
  return [Math.round(channel(0)), Math.round(channel(1)), Math.round(channel(2))];
}

function clamp01(t: number): number {
  return t <= 0 ? 0 : t >= 1 ? 1 : t;
}

/** The colour at t ∈ [0, 1] (clamped), linearly interpolated between table entries. */
export function sampleColormap(id: ColormapId, t: number): Rgb {
  const x = clamp01(Number.isFinite(t) ? t : 0);
  if (id === 'jet') {
    return rgbOf((c) => 255 * piecewise(JET[c], x));
  }
  if (id === 'rdbu') {
    const pos = x * (RDBU_STOPS.length - 1);
    const i = Math.min(Math.floor(pos), RDBU_STOPS.length - 2);
    const f = pos - i;
    const a = RDBU_STOPS[i];
    const b = RDBU_STOPS[i + 1];
    return rgbOf((c) => a[c] + f * (b[c] - a[c]));
  }
  const rgb = table(id);
  const pos = x * 255;
  const i = Math.min(Math.floor(pos), 254);
  const f = pos - i;
  return rgbOf((c) => rgb[i * 3 + c] + f * (rgb[(i + 1) * 3 + c] - rgb[i * 3 + c]));
}

export function toHex(rgb: Rgb): string {
  return '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** A CSS gradient of the map from t = 0 (left or bottom) to t = 1, for the colour bar. */
export function colormapGradientCss(id: ColormapId, direction = 'to right', steps = 32): string {
  const stops: string[] = [];
  for (let i = 0; i <= steps; i += 1) {
    const t = i / steps;
    stops.push(`${toHex(sampleColormap(id, t))} ${(t * 100).toFixed(2)}%`);
  }
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}

/** How raw values map onto the colour map: [lo, hi] → [0, 1]. */
export interface DisplayScale {
  signed: boolean;
  lo: number;
  hi: number;
  /** max |v| over the range: the reference for the threshold */
  absMax: number;
}

/**
 * Signed maps use a symmetric range ±max|v| so that 0 sits at the neutral centre; unsigned maps use
 * the reported min–max range.
 */
export function displayScale(range: { min: number; max: number }, signed: boolean): DisplayScale {
  const min = Number.isFinite(range.min) ? range.min : 0;
  const max = Number.isFinite(range.max) ? range.max : 0;
  const absMax = Math.max(Math.abs(min), Math.abs(max));
  return signed ? { signed, lo: -absMax, hi: absMax, absMax } : { signed, lo: min, hi: max, absMax };
}

/** Position of a raw value on the colour map, clamped to [0, 1]. */
export function normalise(value: number, scale: DisplayScale): number {
  const span = scale.hi - scale.lo;
  if (!(span > 0)) return scale.signed ? 0.5 : 0;
  return clamp01((value - scale.lo) / span);
}

/** One line for the colour bar: the normalisation this display applies to the raw values. */
export function describeNormalisation(scale: DisplayScale): string {
  return scale.signed
    ? 'symmetric ±L, L = max|v|; 0 at the neutral centre; linear'
    : 'linear min–max: (v − min) / (max − min)';
}

/**
 * Colours a row-major heatmap into RGBA bytes (4 per value). Values with |v| below
 * threshold · max|v| and non-finite values become fully transparent; everything else is opaque
 * (the overlay's opacity is applied when drawing, not here).
 */
export function heatmapToRgba(
  values: ArrayLike<number>,
  scale: DisplayScale,
  colormap: ColormapId,
  threshold = 0,
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(values.length * 4);
  const cut = Math.max(0, threshold) * scale.absMax;
  // 1025 entries: finer than 8-bit output, and t = 0.5 (a signed 0) lands exactly on entry 512.
  const levels = 1024;
  const lut = new Uint8Array((levels + 1) * 3);
  for (let i = 0; i <= levels; i += 1) lut.set(sampleColormap(colormap, i / levels), i * 3);
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (!Number.isFinite(v) || Math.abs(v) < cut) continue; // stays transparent black
    const k = Math.round(normalise(v, scale) * levels) * 3;
    const o = i * 4;
    out[o] = lut[k];
    out[o + 1] = lut[k + 1];
    out[o + 2] = lut[k + 2];
    out[o + 3] = 255;
  }
  return out;
}
