// Lookup tables as the Modality LUT, VOI LUT and Palette Color modules store them (PS3.3 C.11.1.1,
// C.11.2.1.1, C.7.6.3.1.5): a descriptor [entries (0 = 65536), first value mapped, bits per entry]
// and the entries, one byte each when the data is as long as the table, else one 16-bit word each.
// The declared bits are distrusted for the entry size (slim #173, cornerstone #2520).
import { ApiError } from '../../api/contract';
import { elementVr, tagKey, uint16Values, type DataSet } from './dataset';

export interface LookupTable {
  entries: number;
  firstMapped: number;
  /** bits per entry as declared (the output range is 0 … 2^bits − 1) */
  bits: number;
  data: Uint8Array | Uint16Array;
}

export function readLookupTable(ds: DataSet, descriptorTag: string, dataTag: string, signedFirst: boolean, what: string): LookupTable {
  const descriptor = uint16Values(ds, descriptorTag);
  if (descriptor.length < 3) throw new ApiError('BAD_INPUT', `${what}: LUT Descriptor ${descriptorTag} has ${descriptor.length} values, not 3`);
  const entries = descriptor[0] === 0 ? 65536 : descriptor[0];
  const descriptorVr = elementVr(ds.elements[tagKey(descriptorTag)]);
  const firstMapped = (signedFirst || descriptorVr === 'SS') && descriptor[1] >= 0x8000 ? descriptor[1] - 0x10000 : descriptor[1];
  const bits = descriptor[2];
  const element = ds.elements[tagKey(dataTag)];
  if (!element) throw new ApiError('BAD_INPUT', `${what}: LUT Data ${dataTag} is missing`);
  let data: Uint8Array | Uint16Array;
  if (element.length === entries || element.length === entries + 1) {
    data = ds.byteArray.slice(element.dataOffset, element.dataOffset + entries);
  } else if (element.length >= 2 * entries) {
    data = Uint16Array.from(uint16Values(ds, dataTag).slice(0, entries));
  } else {
    throw new ApiError('BAD_INPUT', `${what}: LUT Data holds ${element.length} bytes for ${entries} entries`);
  }
  return { entries, firstMapped, bits, data };
}
