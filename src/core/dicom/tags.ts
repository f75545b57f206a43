// The data set as a flat list of attributes for people and JSON (PS3.5 §7: tag, VR, value; sequences
// recursed with a path such as `ReferencedImageSequence[0]/ReferencedSOPInstanceUID`). Binary values
// are summarised by size; text is decoded as UTF-8 when Specific Character Set says ISO_IR 192.
import { BINARY_READERS, elementVr, stringValues, type DataSet, type DicomFile, type Element } from './dataset';
import { isDelimiter } from './deid/element-tree';
import { isPrivateTag, lookupTag } from './dictionary';

export interface DicomAttribute {
  /** `(GGGG,EEEE)` */
  tag: string;
  keyword: string;
  vr: string;
  /** keywords and item indices from the top level, e.g. `OtherPatientIDsSequence[0]/PatientID` */
  path: string;
  depth: number;
  /** the value as text; binary data as `<N bytes>`; sequences as `<N items>` */
  value: string;
  private: boolean;
}

/** VRs whose values are character strings. */
export const TEXT_VRS: ReadonlySet<string> = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const MAX_NUMBERS_SHOWN = 32;

export function formatTag(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5, 9).toUpperCase()})`;
}

export function listAttributes(file: DicomFile): DicomAttribute[] {
  const utf8 = stringValues(file.dataSet, '00080005').some((s) => s.toUpperCase() === 'ISO_IR 192');
  const out: DicomAttribute[] = [];
  walk(file.dataSet, '', 0, utf8, out);
  return out;
}

function walk(ds: DataSet, prefix: string, depth: number, utf8: boolean, out: DicomAttribute[]): void {
  for (const key of Object.keys(ds.elements).sort()) {
    if (isDelimiter(key)) continue;
    const element = ds.elements[key];
    const entry = lookupTag(element.tag);
    const priv = isPrivateTag(element.tag);
    const keyword = entry?.keyword ?? (priv ? 'Private' : 'Unknown');
    const vr = element.items ? 'SQ' : elementVr(element);
    const path = prefix ? `${prefix}/${keyword}` : keyword;
    out.push({ tag: formatTag(element.tag), keyword, vr, path, depth, value: renderValue(ds, element, vr, utf8), private: priv });
    element.items?.forEach((item, index) => {
      if (item.dataSet) walk(item.dataSet, `${path}[${index}]`, depth + 1, utf8, out);
    });
  }
}

function renderValue(ds: DataSet, element: Element, vr: string, utf8: boolean): string {
  if (element.items) return `<${element.items.length} item${element.items.length === 1 ? '' : 's'}>`;
  if (element.encapsulatedPixelData) return `<encapsulated, ${element.fragments?.length ?? 0} fragments>`;
  const length = element.length;
  if (TEXT_VRS.has(vr)) {
    const bytes = ds.byteArray.subarray(element.dataOffset, element.dataOffset + length);
    return new TextDecoder(utf8 ? 'utf-8' : 'latin1').decode(bytes).replace(/[\0 ]+$/, '');
  }
  const numeric = BINARY_READERS[vr];
  if (numeric) {
    const [size, read] = numeric;
    const count = Math.floor(length / size);
    const shown = Array.from({ length: Math.min(count, MAX_NUMBERS_SHOWN) }, (_, i) => read(ds, element.tag, i));
    return shown.join('\\') + (count > MAX_NUMBERS_SHOWN ? `\\… (${count} values)` : '');
  }
  if (vr === 'AT') {
    return Array.from({ length: Math.floor(length / 4) }, (_, i) => {
      const group = ds.uint16(element.tag, 2 * i) ?? 0;
      const el = ds.uint16(element.tag, 2 * i + 1) ?? 0;
      return `(${group.toString(16).padStart(4, '0')},${el.toString(16).padStart(4, '0')})`.toUpperCase();
    }).join('\\');
  }
  return `<${length} bytes>`;
}
