// Writes an element tree as a DICOM Part 10 file (PS3.10 §7.1: 128-byte preamble, "DICM", File Meta
// Information group 0002 in Explicit VR Little Endian with its group length) followed by the data set
// in Explicit VR Little Endian (PS3.5 §7.1.2), or in the original encapsulated syntax, with sequences
// and items of undefined length (§7.5.2) and even-length values padded per VR (§6.2).
import type { DicomNode, ValueNode } from './element-tree';

const LONG_HEADER_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const UNDEFINED_LENGTH = 0xffffffff;

class ByteWriter {
  private chunks: Uint8Array[] = [];
  length = 0;

  bytes(data: Uint8Array): void {
    this.chunks.push(data);
    this.length += data.length;
  }

  uint16(value: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, value, true);
    this.bytes(b);
  }

  uint32(value: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, true);
    this.bytes(b);
  }

  ascii(text: string): void {
    this.bytes(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  }

  tag(tag: string): void {
    this.uint16(Number.parseInt(tag.slice(0, 4), 16));
    this.uint16(Number.parseInt(tag.slice(4, 8), 16));
  }

  result(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function padded(node: ValueNode): Uint8Array {
  if (node.bytes.length % 2 === 0) return node.bytes;
  const out = new Uint8Array(node.bytes.length + 1);
  out.set(node.bytes);
  out[node.bytes.length] = node.vr === 'UI' || !/^[A-Z][A-Z]$/.test(node.vr) || ['OB', 'UN'].includes(node.vr) ? 0 : 0x20;
  return out;
}

function writeHeader(w: ByteWriter, tag: string, vr: string, length: number): void {
  w.tag(tag);
  w.ascii(vr);
  if (LONG_HEADER_VRS.has(vr)) {
    w.uint16(0);
    w.uint32(length);
  } else {
    w.uint16(length);
  }
}

function writeItemTag(w: ByteWriter, element: number, length: number): void {
  w.uint16(0xfffe);
  w.uint16(element);
  w.uint32(length);
}

function writeNodes(w: ByteWriter, nodes: DicomNode[]): void {
  for (const node of [...nodes].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))) {
    if (node.kind === 'value') {
      const value = padded(node);
      // Values too long for a short header (e.g. an LO from a broken file) are written as UN.
      const vr = !LONG_HEADER_VRS.has(node.vr) && value.length > 0xffff ? 'UN' : node.vr;
      writeHeader(w, node.tag, vr, value.length);
      w.bytes(value);
    } else if (node.kind === 'sequence') {
      writeHeader(w, node.tag, 'SQ', UNDEFINED_LENGTH);
      for (const item of node.items) {
        writeItemTag(w, 0xe000, UNDEFINED_LENGTH);
        writeNodes(w, item);
        writeItemTag(w, 0xe00d, 0);
      }
      writeItemTag(w, 0xe0dd, 0);
    } else {
      writeHeader(w, node.tag, 'OB', UNDEFINED_LENGTH);
      writeItemTag(w, 0xe000, node.offsetTable.length);
      w.bytes(node.offsetTable);
      for (const fragment of node.fragments) {
        const even = fragment.length % 2 === 0 ? fragment : Uint8Array.from([...fragment, 0]);
        writeItemTag(w, 0xe000, even.length);
        w.bytes(even);
      }
      writeItemTag(w, 0xe0dd, 0);
    }
  }
}

/** `meta` holds group 0002 elements except the group length, which is computed. */
export function writePart10(meta: DicomNode[], dataSet: DicomNode[]): Uint8Array {
  const metaWriter = new ByteWriter();
  writeNodes(metaWriter, meta.filter((n) => n.tag !== '00020000'));
  const w = new ByteWriter();
  w.bytes(new Uint8Array(128));
  w.ascii('DICM');
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaWriter.length, true);
  writeNodes(w, [{ kind: 'value', tag: '00020000', vr: 'UL', bytes: groupLength }]);
  w.bytes(metaWriter.result());
  writeNodes(w, dataSet);
  return w.result();
}
