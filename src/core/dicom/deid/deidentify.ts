// De-identification by the PS3.15 Annex E Basic Application Level Confidentiality Profile (E.1.1,
// Table E.1-1): listed attributes are removed, emptied, given dummy values or new UIDs (consistent
// within one export set); private attributes, overlays and curves are removed; attributes the table
// does not list are still cleaned when their VR carries identity (PN, dates and times, non-standard
// UIDs). Patient Identity Removed and the De-identification Method (Code Sequence) are added.
// Burned-in text is not removed (no Clean Pixel Data option): a warning says so.
import { createHash } from 'node:crypto';
import { stringValue, type DicomFile } from '../dataset';
import { isPrivateTag } from '../dictionary';
import { TEXT_VRS } from '../tags';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../transfer-syntax';
import { elementTree, textNode, textOf, type DicomNode, type ValueNode } from './element-tree';
import { profileActionFor, type ProfileAction } from './profile-table';
import { writePart10 } from './writer';

/** Sightline's implementation class UID (PS3.7 D.3.3.2), under the UUID-derived root 2.25. */
export const IMPLEMENTATION_CLASS_UID = '2.25.198133405683412094519394702938471625011';
const IMPLEMENTATION_VERSION = 'SIGHTLINE_DEID1';
const STANDARD_UID_ROOT = '1.2.840.10008.';
const IDENTITY_VRS = new Set(['PN', 'DA', 'DT', 'TM']);

export interface DeidentifyOptions {
  /** one salt per export set: the same source UID maps to the same new UID within the set */
  uidSalt: string;
}

export interface DeidentifiedDicom {
  bytes: Uint8Array;
  transferSyntaxUid: string;
  sopInstanceUid: string;
  /** every attribute changed, with what was done */
  actions: { tag: string; action: string }[];
  warnings: string[];
  burnedInAnnotation: string | null;
}

const DUMMY_TEXT: Record<string, string> = { PN: 'ANONYMOUS', DA: '19000101', TM: '000000', DT: '19000101000000', DS: '0', IS: '0', AS: '000Y' };

export function remapUid(uid: string, salt: string): string {
  const digest = createHash('sha256').update(`${salt}|${uid}`).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${digest}`).toString()}`;
}

/** UIDs the standard defines (SOP classes, transfer syntaxes, …) identify nothing and are kept. */
function isStandardUid(uid: string): boolean {
  return uid.startsWith(STANDARD_UID_ROOT);
}

export function deidentify(file: DicomFile, pixel: { bitsAllocated: number }, options: DeidentifyOptions): DeidentifiedDicom {
  const ds = file.dataSet;
  const actions: { tag: string; action: string }[] = [];
  const newUid = (uid: string) => (isStandardUid(uid) ? uid : remapUid(uid, options.uidSalt));
  const tree = elementTree(ds, pixel.bitsAllocated).filter((n) => !n.tag.startsWith('0002'));
  const context: CleanContext = { newUid, actions, removedValues: removedTextValues(tree) };
  const dataSet = clean(tree, context);
  const sourceSopInstanceUid = stringValue(ds, '00080018') ?? stringValue(ds, '00020003');
  // A file with no SOP Instance UID anywhere still needs one in its meta header: one made from its
  // bytes, so the same file gets the same UID within an export set.
  const sopInstanceUid = sourceSopInstanceUid ? newUid(sourceSopInstanceUid) : remapUid(createHash('sha256').update(file.bytes).digest('hex'), options.uidSalt);
  const transferSyntaxUid = file.transferSyntax?.encapsulated ? file.transferSyntaxUid : EXPLICIT_VR_LITTLE_ENDIAN.uid;
  dataSet.push(
    textNode('00120062', 'CS', 'YES'),
    textNode('00120063', 'LO', 'DICOM PS3.15 E.1.1 Basic Application Level Confidentiality Profile (Sightline)'),
    {
      kind: 'sequence',
      tag: '00120064',
      items: [[textNode('00080100', 'SH', '113100'), textNode('00080102', 'SH', 'DCM'), textNode('00080104', 'LO', 'Basic Application Confidentiality Profile')]],
    },
    textNode('00280303', 'CS', 'REMOVED'),
  );
  const meta: DicomNode[] = [
    { kind: 'value', tag: '00020001', vr: 'OB', bytes: new Uint8Array([0, 1]) },
    textNode('00020002', 'UI', stringValue(ds, '00080016') ?? stringValue(ds, '00020002') ?? ''),
    textNode('00020003', 'UI', sopInstanceUid),
    textNode('00020010', 'UI', transferSyntaxUid),
    textNode('00020012', 'UI', IMPLEMENTATION_CLASS_UID),
    textNode('00020013', 'SH', IMPLEMENTATION_VERSION),
  ];
  const burnedInAnnotation = stringValue(ds, '00280301')?.toUpperCase() ?? null;
  const warnings: string[] = [];
  if (burnedInAnnotation !== 'NO') {
    warnings.push(
      burnedInAnnotation === 'YES'
        ? 'Burned In Annotation is YES: the pixels show identifying text, which de-identification of the header does not remove'
        : 'Burned In Annotation (0028,0301) is absent: the pixels may show identifying text, which de-identification of the header does not remove',
    );
  }
  return { bytes: writePart10(meta, dataSet), transferSyntaxUid, sopInstanceUid, actions, warnings, burnedInAnnotation };
}

interface CleanContext {
  newUid: (uid: string) => string;
  actions: { tag: string; action: string }[];
  /** text the profile removes from identifying attributes; kept attributes repeating it are emptied */
  removedValues: string[];
}

/** Shorter removed values ("F", "1", "GE") occur by chance in any text and are not chased. */
const MIN_CHASED_LENGTH = 4;

/** The text VRs whose values are chased for removed text: all but UI. */
function isChasedText(vr: string): boolean {
  return vr !== 'UI' && TEXT_VRS.has(vr);
}

function isRemovedOrOverlay(tag: string): string | null {
  if (isPrivateTag(`x${tag}`)) return 'X (private)';
  const group = tag.slice(0, 2);
  return group === '50' || group === '60' ? 'X (overlay/curve)' : null;
}

function actionFor(node: DicomNode): ProfileAction | 'recurse' | undefined {
  return profileActionFor(node.tag) ?? blanketAction(node);
}

/** Every text value an action will remove or replace, so the same text is not left elsewhere (e.g. Manufacturer = Institution Name). */
function removedTextValues(nodes: DicomNode[], into: string[] = []): string[] {
  for (const node of nodes) {
    const action = isRemovedOrOverlay(node.tag) ?? actionFor(node);
    if (node.kind === 'sequence') node.items.forEach((item) => removedTextValues(item, into));
    else if (node.kind === 'value' && action && action !== 'recurse' && isChasedText(node.vr)) {
      for (const value of textOf(node).split('\\')) if (value.trim().length >= MIN_CHASED_LENGTH) into.push(value.trim());
    }
  }
  return into;
}

function clean(nodes: DicomNode[], context: CleanContext): DicomNode[] {
  const out: DicomNode[] = [];
  for (const node of nodes) {
    const removed = isRemovedOrOverlay(node.tag);
    if (removed) {
      context.actions.push({ tag: node.tag, action: removed });
      continue;
    }
    let action = actionFor(node);
    if (!action && node.kind === 'value' && isChasedText(node.vr)) {
      const text = textOf(node);
      if (context.removedValues.some((value) => text.includes(value))) action = 'Z';
    }
    const result = apply(node, action, context);
    if (action && action !== 'recurse') context.actions.push({ tag: node.tag, action });
    if (result) out.push(result);
  }
  return out;
}

/** Attributes Table E.1-1 does not list: clean those whose VR carries identity; recurse into sequences. */
function blanketAction(node: DicomNode): ProfileAction | 'recurse' | undefined {
  if (node.kind === 'sequence') return 'recurse';
  if (node.kind !== 'value') return undefined;
  if (IDENTITY_VRS.has(node.vr)) return 'X';
  if (node.vr === 'UI' && textOf(node).split('\\').some((uid) => uid && !isStandardUid(uid))) return 'U';
  return undefined;
}

function apply(node: DicomNode, action: ProfileAction | 'recurse' | undefined, context: CleanContext): DicomNode | null {
  if (!action) return node;
  const { newUid } = context;
  if (node.kind === 'sequence') {
    if (action === 'X') return null;
    if (action === 'recurse' || action === 'X/Z/U*') return { ...node, items: node.items.map((item) => clean(item, context)) };
    return { ...node, items: [] }; // Z and D on a sequence: no items
  }
  if (node.kind === 'fragments') return action === 'X' ? null : node;
  switch (action) {
    case 'X':
      return null;
    case 'Z':
    case 'X/Z':
      return { ...node, bytes: new Uint8Array(0) };
    case 'U':
    case 'X/Z/U*':
      return node.vr === 'UI' ? textNode(node.tag, 'UI', textOf(node).split('\\').map(newUid).join('\\')) : { ...node, bytes: new Uint8Array(0) };
    default:
      return dummy(node, newUid);
  }
}

function dummy(node: ValueNode, newUid: (uid: string) => string): ValueNode {
  if (node.vr === 'UI') return textNode(node.tag, 'UI', newUid(textOf(node)));
  if (node.vr === 'SQ') return { ...node, bytes: new Uint8Array(0) };
  if (/^(US|SS|UL|SL|FL|FD|OB|OW|OF|OD|OL|UN|AT|SV|UV)$/.test(node.vr)) return { ...node, bytes: new Uint8Array(node.bytes.length) };
  return textNode(node.tag, node.vr, DUMMY_TEXT[node.vr] ?? 'ANONYMIZED');
}
