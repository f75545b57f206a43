// A data set as an editable tree of elements with little-endian values (PS3.5 §7.1 data elements,
// §7.5 sequences, §A.4 encapsulated fragments), built from dicom-parser's parse: big-endian values are
// byte-swapped by VR and implicit VRs come from the dictionary, so the tree can be written back as
// Explicit VR Little Endian.
import type { DataSet, Element } from 'dicom-parser';
import { elementVr, isLittleEndian } from '../dataset';
import { swapBytes } from '../codecs/layout';

export interface ValueNode {
  kind: 'value';
  /** 8 hex digits, upper case */
  tag: string;
  vr: string;
  bytes: Uint8Array;
}

export interface SequenceNode {
  kind: 'sequence';
  tag: string;
  items: DicomNode[][];
}

export interface FragmentsNode {
  kind: 'fragments';
  tag: string;
  offsetTable: Uint8Array;
  fragments: Uint8Array[];
}

export type DicomNode = ValueNode | SequenceNode | FragmentsNode;

/** Bytes per swapped unit for binary VRs (AT is a pair of 16-bit values). */
const SWAP_UNIT: Record<string, number> = { US: 2, SS: 2, OW: 2, AT: 2, UL: 4, SL: 4, FL: 4, OF: 4, OL: 4, FD: 8, OD: 8, SV: 8, UV: 8, OV: 8 };

export function elementTree(ds: DataSet, bitsAllocated: number): DicomNode[] {
  const little = isLittleEndian(ds);
  return Object.keys(ds.elements)
    .filter((key) => !isDelimiter(key) && hasValidVr(ds.elements[key]))
    .sort()
    .map((key) => toNode(ds, ds.elements[key], little, bitsAllocated));
}

/** Junk after the data set (seen after inflating a deflated file) parses as elements with no real VR. */
function hasValidVr(element: Element): boolean {
  return element.vr === undefined || /^[A-Z]{2}$/.test(element.vr);
}

/** dicom-parser keeps item delimiters (FFFE,E00D) as elements of undefined-length items. */
export function isDelimiter(key: string): boolean {
  return key.startsWith('xfffe');
}

function toNode(ds: DataSet, element: Element, little: boolean, bitsAllocated: number): DicomNode {
  const tag = element.tag.slice(1).toUpperCase();
  if (element.items) {
    return { kind: 'sequence', tag, items: element.items.map((item) => (item.dataSet ? elementTree(item.dataSet, bitsAllocated) : [])) };
  }
  if (element.encapsulatedPixelData && element.fragments) {
    const bot = element.basicOffsetTable ?? [];
    const offsetTable = new Uint8Array(bot.length * 4);
    bot.forEach((offset, i) => new DataView(offsetTable.buffer).setUint32(i * 4, offset, true));
    return { kind: 'fragments', tag, offsetTable, fragments: element.fragments.map((f) => ds.byteArray.slice(f.position, f.position + f.length)) };
  }
  const vr = elementVr(element);
  const end = Math.min(element.dataOffset + element.length, ds.byteArray.length);
  let bytes: Uint8Array = ds.byteArray.slice(element.dataOffset, end);
  if (!little) {
    const unit = tag === '7FE00010' ? (bitsAllocated >= 16 ? bitsAllocated / 8 : vr === 'OW' ? 2 : 1) : SWAP_UNIT[vr];
    if (unit && unit > 1) bytes = swapBytes(bytes, unit);
  }
  return { kind: 'value', tag, vr, bytes };
}

const latin1 = new TextDecoder('latin1');

export function textOf(node: ValueNode): string {
  return latin1.decode(node.bytes).replace(/[\0 ]+$/, '');
}

export function textNode(tag: string, vr: string, text: string): ValueNode {
  return { kind: 'value', tag, vr, bytes: Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff) };
}
