// Runs a Cornerstone Emscripten codec (libjpeg-turbo, CharLS, OpenJPEG, OpenJPH) on one frame in plain
// Node: the module reads its .wasm from its own package folder; no worker, no DOM.

/** The shape every Cornerstone decoder class shares. */
export interface EmscriptenDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

type ModuleFactory = (options: Record<string, unknown>) => Promise<unknown>;

const modules = new Map<string, Promise<Record<string, unknown>>>();

function loadModule(name: string, factory: ModuleFactory): Promise<Record<string, unknown>> {
  let module = modules.get(name);
  if (!module) {
    // The codecs print progress ([INFO] …) through Emscripten's print: keep stdout for results.
    module = factory({ print: () => undefined, printErr: () => undefined }) as Promise<Record<string, unknown>>;
    modules.set(name, module);
    module.catch(() => modules.delete(name));
  }
  return module;
}

export interface WasmDecodeResult {
  width: number;
  height: number;
  components: number;
  bitsPerSample: number;
  signed: boolean;
  /** a copy of the decoded bytes, owned by JavaScript */
  bytes: Uint8Array;
}

/**
 * Decodes `encoded` with `className` from the module `factory` loads. `inspect` may read
 * decoder-specific facts (e.g. CharLS's interleave mode) before the decoder is freed.
 */
export async function decodeWithWasm<T = undefined>(
  moduleName: string,
  factory: ModuleFactory,
  className: string,
  encoded: Uint8Array,
  inspect?: (decoder: EmscriptenDecoder) => T,
): Promise<WasmDecodeResult & { extra: T | undefined }> {
  const module = await loadModule(moduleName, factory);
  const DecoderClass = module[className] as new () => EmscriptenDecoder;
  const decoder = new DecoderClass();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const extra = inspect?.(decoder);
    return {
      width: info.width,
      height: info.height,
      components: info.componentCount,
      bitsPerSample: info.bitsPerSample,
      signed: Boolean(info.isSigned),
      bytes: decoder.getDecodedBuffer().slice(),
      extra,
    };
  } catch (error) {
    // Emscripten throws bare numbers (pointers to C++ exceptions) or strings.
    throw new Error(`${moduleName} could not decode the frame (${typeof error === 'object' && error && 'message' in error ? (error as Error).message : String(error)})`);
  } finally {
    decoder.delete();
  }
}

/** Decoded little-endian bytes → typed samples (1 byte per sample up to 8 bits, else 2). */
export function bytesToSamples(bytes: Uint8Array, bitsPerSample: number, signed: boolean): Uint8Array | Int8Array | Uint16Array | Int16Array {
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  if (bitsPerSample <= 8) return signed ? new Int8Array(aligned.buffer, aligned.byteOffset, aligned.length) : aligned;
  const count = Math.floor(aligned.length / 2);
  return signed ? new Int16Array(aligned.buffer, aligned.byteOffset, count) : new Uint16Array(aligned.buffer, aligned.byteOffset, count);
}
