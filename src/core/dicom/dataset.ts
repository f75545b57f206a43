// Reads a DICOM Part 10 file (PS3.10 §7: preamble, "DICM", File Meta Information) with dicom-parser,
// inflating the deflated syntax with zlib, and gives typed access to element values (PS3.5 §6.2 VRs).
import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { ApiError } from '../../api/contract';
import { lookupTag, vrOf } from './dictionary';
import { findTransferSyntax, transferSyntaxName, type TransferSyntax } from './transfer-syntax';

export type { DataSet, Element };

export interface DicomFile {
  name: string;
  bytes: Uint8Array;
  dataSet: DataSet;
  transferSyntaxUid: string;
  /** null when the syntax is not one Sightline decodes (the metadata is still readable) */
  transferSyntax: TransferSyntax | null;
  transferSyntaxName: string;
}

const PREAMBLE_LENGTH = 128;

/** True when the bytes carry the Part 10 "DICM" prefix after the 128-byte preamble. */
export function hasDicomPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= PREAMBLE_LENGTH + 4 && String.fromCharCode(...bytes.subarray(PREAMBLE_LENGTH, PREAMBLE_LENGTH + 4)) === 'DICM';
}

export function parseDicomFile(input: Uint8Array, name: string): DicomFile {
  // A plain Uint8Array view, not a Node Buffer: Buffer#slice shares memory, Uint8Array#slice copies.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (!hasDicomPrefix(bytes)) {
    throw new ApiError('BAD_INPUT', `${name} is not a DICOM file: no "DICM" prefix at byte 128 (PS3.10 Part 10 format)`);
  }
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      // Deflated Explicit VR Little Endian: everything after the File Meta Information is raw deflate.
      inflater: (array: Uint8Array, position: number) => {
        const inflated = inflateRawSync(array.subarray(position));
        const whole = new Uint8Array(position + inflated.length);
        whole.set(array.subarray(0, position), 0);
        whole.set(inflated, position);
        return whole;
      },
      // Implicit VR: sequences are recognised by the dictionary's VR, not only by undefined lengths.
      vrCallback: (tag: string) => lookupTag(tag)?.vr,
    } as dicomParser.ParseDicomOptions);
  } catch (error) {
    const message = parserMessage(error);
    if (/overrun|overread|beyond|end of buffer/i.test(message)) {
      throw new ApiError('BAD_INPUT', `${name} is truncated: the data ends inside an element (${message})`);
    }
    throw new ApiError('BAD_INPUT', `${name} is not a readable DICOM file: ${message}`);
  }
  parseUnknownSequences(dataSet, name);
  const uid = dataSet.string('x00020010')?.replace(/\0/g, '').trim();
  if (!uid) throw new ApiError('BAD_INPUT', `${name} has no Transfer Syntax UID (0002,0010) in its File Meta Information`);
  return { name, bytes, dataSet, transferSyntaxUid: uid, transferSyntax: findTransferSyntax(uid), transferSyntaxName: transferSyntaxName(uid) };
}

/**
 * Sequences written with VR UN and a defined length hold Implicit VR Little Endian items (PS3.5
 * §6.2.2); dicom-parser leaves them as bytes, so their items (and the identity in them) are parsed here.
 */
function parseUnknownSequences(ds: DataSet, name: string): void {
  for (const element of Object.values(ds.elements)) {
    if (element.vr === 'UN' && !element.items && element.length !== 0xffffffff && lookupTag(element.tag)?.vr === 'SQ') {
      try {
        const stream = new dicomParser.ByteStream(dicomParser.littleEndianByteArrayParser, ds.byteArray, element.dataOffset);
        dicomParser.readSequenceItemsImplicit(stream, element, (tag: string) => lookupTag(tag)?.vr ?? 'UN');
      } catch (error) {
        throw new ApiError('BAD_INPUT', `${name}: the sequence ${element.tag} stored as UN cannot be read (${parserMessage(error)})`);
      }
    }
    element.items?.forEach((item) => item.dataSet && parseUnknownSequences(item.dataSet, name));
  }
}

/** dicom-parser throws strings, {exception} objects or Errors, prefixed with its function name. */
export function parserMessage(error: unknown): string {
  const raw =
    typeof error === 'string'
      ? error
      : error && typeof error === 'object' && 'exception' in error
        ? String((error as { exception: unknown }).exception)
        : error instanceof Error
          ? error.message
          : String(error);
  return raw.replace(/^dicomParser[.:]\w+: ?/, '');
}

/** `(0028,0010)` / `00280010` / `x00280010` → dicom-parser's `x00280010`. */
export function tagKey(tag: string): string {
  const hex = tag.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return `x${hex.slice(-8)}`;
}

/** The element's VR; UN for a tag the dictionary knows means the dictionary's VR (PS3.5 §6.2.2). */
export function elementVr(element: Element): string {
  return vrOf(element.tag, element.vr === 'UN' ? undefined : element.vr);
}

/** A text value with padding removed, or undefined when absent or empty. */
export function stringValue(ds: DataSet, tag: string): string | undefined {
  const element = ds.elements[tagKey(tag)];
  if (!element || element.length === 0) return undefined;
  const text = ds.string(tagKey(tag));
  return text === undefined || text === '' ? undefined : text;
}

/** All values of a multi-valued text element. */
export function stringValues(ds: DataSet, tag: string): string[] {
  const element = ds.elements[tagKey(tag)];
  if (!element || element.length === 0) return [];
  const raw = new TextDecoder('latin1').decode(ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length));
  return raw
    .replace(/\0+$/, '')
    .split('\\')
    .map((s) => s.trim());
}

/** Binary numeric VRs: value size in bytes and the data set's reader. */
export const BINARY_READERS: Record<string, [size: number, read: (ds: DataSet, key: string, index: number) => number | undefined]> = {
  US: [2, (ds, key, i) => ds.uint16(key, i)],
  SS: [2, (ds, key, i) => ds.int16(key, i)],
  UL: [4, (ds, key, i) => ds.uint32(key, i)],
  SL: [4, (ds, key, i) => ds.int32(key, i)],
  FL: [4, (ds, key, i) => ds.float(key, i)],
  FD: [8, (ds, key, i) => ds.double(key, i)],
};

/** Numeric values of an element, whatever its VR (binary or decimal/integer strings). */
export function numberValues(ds: DataSet, tag: string): number[] {
  const key = tagKey(tag);
  const element = ds.elements[key];
  if (!element || element.length === 0) return [];
  const vr = elementVr(element);
  const reader = BINARY_READERS[vr];
  if (reader) {
    const [size, read] = reader;
    return Array.from({ length: Math.floor(element.length / size) }, (_, i) => read(ds, key, i) ?? Number.NaN);
  }
  return stringValues(ds, tag)
    .filter((s) => s !== '')
    .map(Number);
}

export function numberValue(ds: DataSet, tag: string): number | undefined {
  const values = numberValues(ds, tag);
  return values.length > 0 && Number.isFinite(values[0]) ? values[0] : undefined;
}

/** Raw 16-bit words of a binary element (for US-or-SS values whose sign depends on context). */
export function uint16Values(ds: DataSet, tag: string): number[] {
  const key = tagKey(tag);
  const element = ds.elements[key];
  if (!element) return [];
  return Array.from({ length: Math.floor(element.length / 2) }, (_, i) => ds.uint16(key, i) ?? 0);
}

export function sequenceItems(ds: DataSet, tag: string): DataSet[] {
  const element = ds.elements[tagKey(tag)];
  return (element?.items ?? []).map((item) => item.dataSet).filter((d): d is DataSet => Boolean(d));
}

/** Whether the data set's binary values are little endian (its parser says so). */
export function isLittleEndian(ds: DataSet): boolean {
  return ds.byteArrayParser !== dicomParser.bigEndianByteArrayParser;
}
