/**
 * Gzip sniffing, and reading what a damaged gzip file still holds. The
 * reader never decompresses: the caller supplies the inflater (Node zlib in
 * the CLI, DecompressionStream in the worker), so this module stays pure.
 */
import { TraceFormatError } from './errors';

/** First byte of every gzip member (RFC 1952). */
const GZIP_MAGIC_0 = 0x1f;
/** Second byte of every gzip member (RFC 1952). */
const GZIP_MAGIC_1 = 0x8b;

/**
 * Whether the bytes start with the gzip magic number `1f 8b`. Trust this
 * rather than the file extension: `.json.gz` files are sometimes stored
 * inflated and `.json` files are sometimes gzip.
 */
export function isGzip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1
  );
}

/**
 * The chunks an inflater gives until it fails, then the end of the stream.
 * A gzip file cut off by an interrupted export, copy or download still holds
 * every event written before the cut: the reader then sees text that stops
 * mid-array, keeps every complete event and says how much was lost. Errors
 * of the compressed source itself (a failed download) are not the
 * inflater's: they pass through.
 *
 * @param inflate - the host's inflater (DecompressionStream, zlib).
 * @param compressed - the gzip bytes, in chunks.
 * @param onDamage - told, when the inflater fails after giving some output,
 *   how many bytes of text it gave.
 * @throws {TraceFormatError} when the inflater fails before giving any byte.
 */
export async function* inflateUntilDamaged(
  inflate: (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>,
  compressed: AsyncIterable<Uint8Array>,
  onDamage: (textBytes: number) => void
): AsyncGenerator<Uint8Array> {
  let sourceError: { error: unknown } | null = null;
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      yield* compressed;
    } catch (error) {
      sourceError = { error };
      throw error;
    }
  }
  let textBytes = 0;
  try {
    for await (const chunk of inflate(source())) {
      textBytes += chunk.length;
      yield chunk;
    }
  } catch (error) {
    if (sourceError !== null) {
      throw (sourceError as { error: unknown }).error;
    }
    if (textBytes === 0) {
      throw new TraceFormatError(
        'not-json',
        'The file starts like gzip, but its compressed data is damaged and holds no readable text.'
      );
    }
    onDamage(textBytes);
  }
}
