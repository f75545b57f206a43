// The file's own VOI choices (PS3.3 C.11.2, C.7.6.16.2.10 Frame VOI LUT): every VOI LUT Sequence item
// and every Window Center/Width pair (VM 1-n: alternative views, labelled by the Window Center & Width
// Explanation). The first is the default, VOI LUTs before windows (pydicom's prefer_lut).
import { numberValues, sequenceItems, stringValue, stringValues, type DataSet } from './dataset';
import { readLookupTable } from './lut';
import { functionalGroup } from './modality-lut';
import { parseVoiFunction, type VoiLutSpec, type WindowSpec } from './voi';

export type VoiPreset =
  | { id: string; label: string; kind: 'window'; window: WindowSpec }
  | { id: string; label: string; kind: 'lut'; lut: VoiLutSpec };

const FRAME_VOI_LUT = '00289132';

export function readVoiPresets(ds: DataSet, frame: number, modalitySigned: boolean, name: string): VoiPreset[] {
  const presets: VoiPreset[] = [];
  sequenceItems(ds, '00283010').forEach((item, index) => {
    const lut = readLookupTable(item, '00283002', '00283006', modalitySigned, `${name} VOI LUT ${index + 1}`);
    const explanation = stringValue(item, '00283003');
    presets.push({ id: `file-lut-${index}`, label: explanation ? `VOI LUT: ${explanation}` : `VOI LUT ${index + 1}`, kind: 'lut', lut });
  });
  const source = ds.elements.x00281050 ? ds : (functionalGroup(ds, FRAME_VOI_LUT, frame) ?? ds);
  const centers = numberValues(source, '00281050');
  const widths = numberValues(source, '00281051');
  const explanations = stringValues(source, '00281055');
  const fn = parseVoiFunction(stringValue(source, '00281056'));
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    if (!Number.isFinite(centers[i]) || !(widths[i] > 0)) continue;
    const label = explanations[i] || (centers.length > 1 ? `File window ${i + 1}` : 'File window');
    presets.push({ id: `file-window-${i}`, label, kind: 'window', window: { center: centers[i], width: widths[i], fn } });
  }
  return presets;
}
