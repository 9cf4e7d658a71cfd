/**
 * Bytes of a trace file → summary: the whole pipeline the worker and the CLI
 * share. The host supplies gunzip, since Node and browsers do it differently.
 */
import { isGzip } from '../trace/gzip';
import { readTrace } from '../trace/readTrace';
import { summarize } from '../analysis/summarize';
import type { IProfileSummary } from '../analysis/summary';

/** Decompresses gzip bytes. */
export type Gunzip = (bytes: Uint8Array) => Promise<Uint8Array>;

/**
 * Read and analyse one trace file.
 *
 * @param bytes The file as stored (plain JSON or gzip; sniffed, not guessed from the name).
 * @param gunzip Decompressor supplied by the host.
 * @throws TraceFormatError from the reader when the bytes are not a trace.
 */
export async function analyzeBytes(
  bytes: Uint8Array,
  gunzip: Gunzip
): Promise<IProfileSummary> {
  const plain = isGzip(bytes) ? await gunzip(bytes) : bytes;
  return summarize(readTrace(plain));
}
