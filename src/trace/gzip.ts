/**
 * Gzip sniffing. The reader never decompresses: the caller supplies the
 * bytes already inflated (Node zlib in the CLI, DecompressionStream in the
 * worker), so this module stays pure.
 */

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
