// The DICOM data dictionary (PS3.6 §6): keyword and VR of a tag, from dcmjs's generated copy of the
// standard, plus the repeating overlay group (60xx, PS3.3 C.9.2) that the flat table cannot key.
import dcmjs from 'dcmjs';

export interface DictionaryEntry {
  keyword: string;
  vr: string;
}

interface DcmjsEntry {
  name: string;
  vr: string;
}

const table = (dcmjs as unknown as { data: { DicomMetaDictionary: { dictionary: Record<string, DcmjsEntry | undefined> } } }).data
  .DicomMetaDictionary.dictionary;

const OVERLAY_ELEMENTS: Record<string, DictionaryEntry> = {
  '0010': { keyword: 'OverlayRows', vr: 'US' },
  '0011': { keyword: 'OverlayColumns', vr: 'US' },
  '0015': { keyword: 'NumberOfFramesInOverlay', vr: 'IS' },
  '0022': { keyword: 'OverlayDescription', vr: 'LO' },
  '0040': { keyword: 'OverlayType', vr: 'CS' },
  '0045': { keyword: 'OverlaySubtype', vr: 'LO' },
  '0050': { keyword: 'OverlayOrigin', vr: 'SS' },
  '0051': { keyword: 'ImageFrameOrigin', vr: 'US' },
  '0100': { keyword: 'OverlayBitsAllocated', vr: 'US' },
  '0102': { keyword: 'OverlayBitPosition', vr: 'US' },
  '1500': { keyword: 'OverlayLabel', vr: 'LO' },
  '3000': { keyword: 'OverlayData', vr: 'OW' },
  '4000': { keyword: 'OverlayComments', vr: 'LT' },
};

// dcmjs writes attributes allowed several VRs in lower case: "xs" US or SS, "ox" OB or OW, "lt" US or
// OW (LUT Data), "up" UL or SV, "na" no VR (items). The default chosen is the first of each pair.
const AMBIGUOUS_VR: Record<string, string> = { xs: 'US', ox: 'OW', lt: 'US', up: 'UL', na: 'UN' };

/** `tag` as dicom-parser writes it: `x0010` + `0010`, lower case. */
export function lookupTag(tag: string): DictionaryEntry | null {
  const group = tag.slice(1, 5).toUpperCase();
  const element = tag.slice(5, 9).toUpperCase();
  if (element === '0000') return { keyword: 'GroupLength', vr: 'UL' };
  if (isPrivateTag(tag)) return null;
  if (/^60[0-9A-F]{2}$/.test(group)) return OVERLAY_ELEMENTS[element] ?? null;
  const entry = table[`(${group},${element})`];
  if (!entry || !entry.vr) return null;
  return { keyword: entry.name, vr: AMBIGUOUS_VR[entry.vr] ?? entry.vr };
}

/** The VR of an element: explicit in the file when the syntax has it, else from the dictionary. */
export function vrOf(tag: string, explicit: string | undefined): string {
  const vr = explicit ?? lookupTag(tag)?.vr ?? 'UN';
  return /^[A-Z]{2}$/.test(vr) ? vr : 'UN';
}

export function isPrivateTag(tag: string): boolean {
  return Number.parseInt(tag.slice(1, 5), 16) % 2 === 1;
}
