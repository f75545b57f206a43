// Frame extraction and codec dispatch (PS3.5 §8.2 and Annex A.4): native frames are sliced from
// Pixel Data, encapsulated frames are gathered from their fragments (Basic Offset Table, one fragment
// per frame, or codestream start markers), then the transfer syntax's codec adapter decodes them.
import dicomParser, { type Element } from 'dicom-parser';
import { ApiError } from '../../../api/contract';
import { elementVr, isLittleEndian, parserMessage, type DicomFile } from '../dataset';
import type { PixelModule } from '../pixel-module';
import type { CodecId } from '../transfer-syntax';
import { decodeHtj2k } from './htj2k';
import { decodeJpeg } from './jpeg';
import { decodeJpegLossless } from './jpeg-lossless';
import { decodeJpegLs } from './jpeg-ls';
import { decodeJpeg2000 } from './jpeg2000';
import { decodeNative, nativeFrameLength } from './native';
import { decodeRle } from './rle';
import type { DecodedFrame, FrameLayout } from './types';

const ENCAPSULATED_DECODERS: Record<Exclude<CodecId, 'native'>, (bytes: Uint8Array, layout: FrameLayout) => DecodedFrame | Promise<DecodedFrame>> = {
  rle: decodeRle,
  jpeg: decodeJpeg,
  'jpeg-lossless': decodeJpegLossless,
  'jpeg-ls': decodeJpegLs,
  jpeg2000: decodeJpeg2000,
  htj2k: decodeHtj2k,
};

export async function decodeFrame(file: DicomFile, pixel: PixelModule, frame: number): Promise<DecodedFrame> {
  const syntax = file.transferSyntax;
  if (!syntax) {
    throw new ApiError('BAD_INPUT', `${file.name} uses an unsupported transfer syntax: ${file.transferSyntaxUid} (${file.transferSyntaxName})`);
  }
  if (!Number.isInteger(frame) || frame < 0 || frame >= pixel.frames) {
    throw new ApiError('BAD_PARAMS', `Frame ${frame} does not exist: ${file.name} has ${pixel.frames} frame(s) (0–${pixel.frames - 1})`);
  }
  const element = file.dataSet.elements.x7fe00010;
  if (syntax.codec === 'native') {
    checkNativeLength(file, pixel, element);
    const bytes = file.dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
    return decodeNative({ bytes, littleEndian: isLittleEndian(file.dataSet), vr: elementVr(element) }, frame, pixel);
  }
  const encoded = encapsulatedFrame(file, pixel, element, frame);
  try {
    return await ENCAPSULATED_DECODERS[syntax.codec](encoded, pixel);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('BAD_INPUT', `${file.name}, frame ${frame} (${syntax.name}): ${error instanceof Error ? error.message : String(error)}`);
  }
}

function checkNativeLength(file: DicomFile, pixel: PixelModule, element: Element): void {
  const needed = Math.ceil(nativeFrameLength(pixel) * pixel.frames);
  const available = Math.min(element.length, file.dataSet.byteArray.length - element.dataOffset);
  if (element.encapsulatedPixelData || available < needed) {
    throw new ApiError(
      'BAD_INPUT',
      `${file.name} is truncated: Pixel Data holds ${Math.max(0, available)} bytes, but ${pixel.columns}×${pixel.rows}×${pixel.samplesPerPixel} ` +
        `samples of ${pixel.bitsAllocated} bits × ${pixel.frames} frame(s) need ${needed}`,
    );
  }
}

/** Start of a codestream in a fragment: JPEG family SOI, J2K SOC + SIZ, or a JP2 signature box. */
function startsCodestream(bytes: Uint8Array): boolean {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return true;
  if (bytes[0] === 0xff && bytes[1] === 0x4f && bytes[2] === 0xff && bytes[3] === 0x51) return true;
  return bytes[4] === 0x6a && bytes[5] === 0x50 && bytes[6] === 0x20 && bytes[7] === 0x20;
}

function encapsulatedFrame(file: DicomFile, pixel: PixelModule, element: Element, frame: number): Uint8Array {
  const ds = file.dataSet;
  const fragments = element.fragments ?? [];
  if (!element.encapsulatedPixelData || fragments.length === 0) {
    throw new ApiError('BAD_INPUT', `${file.name}: the ${file.transferSyntaxName} syntax needs encapsulated Pixel Data, but it has no fragments`);
  }
  try {
    if ((element.basicOffsetTable?.length ?? 0) > 0) return dicomParser.readEncapsulatedImageFrame(ds, element, frame);
    if (pixel.frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, 0, fragments.length);
    if (fragments.length === pixel.frames) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, frame, 1);
    const starts = fragments
      .map((fragment, index) => ({ index, head: ds.byteArray.subarray(fragment.position, fragment.position + 8) }))
      .filter(({ head }) => startsCodestream(head))
      .map(({ index }) => index);
    if (starts.length !== pixel.frames) {
      throw new Error(`${fragments.length} fragments hold ${starts.length} codestreams for ${pixel.frames} frames and there is no Basic Offset Table`);
    }
    const end = frame + 1 < starts.length ? starts[frame + 1] : fragments.length;
    return dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, starts[frame], end - starts[frame]);
  } catch (error) {
    throw new ApiError('BAD_INPUT', `${file.name}: frame ${frame} cannot be read from the encapsulated Pixel Data (${parserMessage(error)})`);
  }
}
