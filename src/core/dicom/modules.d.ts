// Type declarations for the untyped DICOM packages: dcmjs (dictionary only), dcmjs-codecs (DCMTK's
// 12-bit JPEG decoder) and the Cornerstone Emscripten codec factories.
declare module 'dcmjs' {
  const dcmjs: unknown;
  export default dcmjs;
}

declare module 'dcmjs-codecs' {
  export class Context {
    constructor(attrs: Record<string, unknown>);
    getDecodedBuffer(): Uint8Array | undefined;
    getBitsAllocated(): number | undefined;
    getPixelRepresentation(): number | undefined;
    getPhotometricInterpretation(): string | undefined;
  }
  export const NativeCodecs: {
    initializeAsync(opts?: Record<string, unknown>): Promise<void>;
    isInitialized(): boolean;
    decodeJpeg(context: Context, parameters?: { convertColorspaceToRgb?: boolean }): Context;
  };
}

// Every Cornerstone codec entry point is an Emscripten module factory.
declare module '@cornerstonejs/*' {
  const factory: (options?: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** numBytes: bytes per output sample (1 or 2); the result is interleaved */
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
