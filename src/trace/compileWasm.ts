/**
 * compileWasm: a WebAssembly module from the base64 text it is bundled as.
 *
 * Pure module.
 */

/**
 * The module compiled from `base64`, or null where this runtime cannot
 * compile it (no WebAssembly, a feature it lacks such as SIMD, or a page's
 * main thread, which refuses synchronous compiles of more than 4 KB).
 */
export function compileWasm(base64: string): WebAssembly.Module | null {
  try {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      bytes[i] = text.charCodeAt(i);
    }
    return new WebAssembly.Module(bytes);
  } catch {
    return null;
  }
}
