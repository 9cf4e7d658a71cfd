/**
 * readTrace: the bytes of one decompressed trace file → {@link ITraceModel}.
 *
 * Reads torch_npu `trace_view.json` (a bare event array, string `ts`) and
 * PyTorch/Kineto `*.pt.trace.json` (`{"traceEvents": [...]}`, numeric `ts`,
 * absolute or relative to `baseTimeNanoseconds`). Steps:
 *
 * 1. a file under 768 KiB is parsed whole with one `JSON.parse` when that
 *    gives what the scanner would ({@link parseWholeTrace}); otherwise the
 *    bytes are scanned in pieces — {@link TraceEventScanner} (never one string
 *    for the file); the usual events are read straight from the bytes, the
 *    others parsed in batches with `JSON.parse`, repairing broken JSON;
 * 2. the events go, in file order, into the growable columns of the model
 *    builder, which then resolves lanes, rebases times exactly, sorts,
 *    nests and links the slices — {@link createModelBuilder}.
 *
 * Pure module.
 */
import { TraceReadCancelledError } from './errors';
import type { ITraceModel } from './model';
import { IModelBuilder, createModelBuilder } from './modelBuilder';
import { parseWholeTrace } from './parseWholeTrace';
import { IScanOptions, TraceEventScanner } from './scanEvents';

/**
 * Bytes handed to the scanner between two progress reports and abort
 * checks: ~10 ms of work at 100 MB/s.
 */
const READ_PIECE_BYTES = 2 ** 20;

/**
 * Files smaller than this are parsed whole with one `JSON.parse` (from
 * memory, or a stream that ends before it), if the options leave the way of
 * reading open; larger ones are read from bytes from their start. Measured
 * in Node 20, the first read in fresh processes (median of 11, two rounds,
 * since counters are read): from bytes, the 2.2 MB Ascend trace took 36 ms
 * against 53 ms parsed whole, the 0.9 MB DLRM trace 19 against 22–23 ms;
 * parsed whole, the 0.6 MB Ascend trace took 18 against 21 ms and the
 * 0.3 MB AlexNet one 10 against 12 ms (the scanner's JavaScript is not yet
 * compiled there). Hence 768 KiB, between the two.
 */
const SMALL_FILE_BYTES = 768 * 2 ** 10;

/**
 * How long {@link readTraceStream} works before it yields a macrotask turn,
 * in ms, so that an abort sent by another task (a worker message) is seen.
 */
const YIELD_INTERVAL_MS = 50;

/** Options of {@link readTrace} and {@link readTraceStream}. */
export interface IReadTraceOptions extends IScanOptions {
  /** Called after each piece with the bytes read so far (increasing; ends at the total). */
  onProgress?: (bytesRead: number) => void;
  /** Stops the read with a {@link TraceReadCancelledError}. */
  signal?: AbortSignal;
}

/** Throw the reader's cancellation error when `signal` is aborted. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new TraceReadCancelledError();
  }
}

/**
 * Read one decompressed trace file held in memory. Synchronous; a file under
 * 768 KiB is parsed whole, a larger one scanned in pieces, so any size works
 * (its text is never decoded whole).
 *
 * @param bytes - the file's bytes; gzip must be inflated by the caller
 *   (see `isGzip`).
 * @param options - batch size, progress, cancellation (checked between pieces).
 * @returns the columnar model: lanes, slices sorted by lane then start,
 *   host → device links, steps, metadata, warnings about repairs.
 * @throws {TraceFormatError} when the bytes are not a trace.
 * @throws {TraceReadCancelledError} when `options.signal` is aborted.
 */
export function readTrace(
  bytes: Uint8Array,
  options: IReadTraceOptions = {}
): ITraceModel {
  const builder = createModelBuilder();
  if (bytes.length < SMALL_FILE_BYTES && mayParseWhole(options)) {
    throwIfAborted(options.signal);
    const model = readWhole(bytes, builder);
    if (model !== null) {
      options.onProgress?.(bytes.length);
      return model;
    }
  }
  const scanner = newScanner(builder, options);
  for (let off = 0; off < bytes.length; off += READ_PIECE_BYTES) {
    throwIfAborted(options.signal);
    scanner.push(bytes.subarray(off, Math.min(bytes.length, off + READ_PIECE_BYTES)));
    options.onProgress?.(scanner.bytesRead);
  }
  const scanned = scanner.finish();
  return builder.finish(scanned.top, scanned.warnings);
}

/**
 * Read one decompressed trace file from a sequence of chunks (a fetch body,
 * a `DecompressionStream`, a file read in pieces). Only one batch of text and
 * its event objects exist at a time besides the model; a stream that ends
 * under 768 KiB is held and parsed whole.
 *
 * @param chunks - the file's bytes in order, already inflated.
 * @param options - batch size, progress, cancellation.
 * @returns the same model {@link readTrace} returns for the same bytes.
 * @throws {TraceFormatError} when the bytes are not a trace.
 * @throws {TraceReadCancelledError} when `options.signal` is aborted; the
 *   chunk iterator is closed.
 */
export async function readTraceStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: IReadTraceOptions = {}
): Promise<ITraceModel> {
  const builder = createModelBuilder();
  // The first chunks are held while they stay under SMALL_FILE_BYTES: a
  // stream that ends by then is parsed whole, and a longer one is read from
  // bytes from its start, as readTrace would.
  let held: Uint8Array[] | null = mayParseWhole(options) ? [] : null;
  let heldBytes = 0;
  let scanner: TraceEventScanner | null = null;
  let lastYield = Date.now();
  throwIfAborted(options.signal);
  for await (const chunk of chunks) {
    throwIfAborted(options.signal);
    if (held !== null && heldBytes + chunk.length < SMALL_FILE_BYTES) {
      if (chunk.length > 0) {
        held.push(chunk.slice()); // the caller may reuse its chunk
        heldBytes += chunk.length;
        options.onProgress?.(heldBytes);
      }
      continue;
    }
    if (scanner === null) {
      scanner = newScanner(builder, options);
      for (const piece of held ?? []) {
        scanner.push(piece);
      }
      held = null;
    }
    // Big chunks are cut so that cancellation and progress stay responsive.
    for (let off = 0; off < chunk.length; off += READ_PIECE_BYTES) {
      throwIfAborted(options.signal);
      scanner.push(chunk.subarray(off, Math.min(chunk.length, off + READ_PIECE_BYTES)));
      options.onProgress?.(scanner.bytesRead);
      if (Date.now() - lastYield >= YIELD_INTERVAL_MS) {
        // A macrotask turn lets an abort message reach the signal.
        await new Promise<void>(resolve => setTimeout(resolve, 0));
        lastYield = Date.now();
      }
    }
  }
  throwIfAborted(options.signal);
  if (scanner === null) {
    const bytes = joinChunks(held ?? [], heldBytes);
    const model = held === null ? null : readWhole(bytes, builder);
    if (model !== null) {
      return model;
    }
    scanner = newScanner(builder, options);
    scanner.push(bytes);
  }
  const scanned = scanner.finish();
  return builder.finish(scanned.top, scanned.warnings);
}

/** Whether the options leave the way of reading open, so a small file may be parsed whole. */
function mayParseWhole(options: IReadTraceOptions): boolean {
  return options.byteReaderFrom === undefined && options.batchBytes === undefined;
}

/** The model of a small file parsed whole ({@link parseWholeTrace}), or null when it must be scanned. */
function readWhole(bytes: Uint8Array, builder: IModelBuilder): ITraceModel | null {
  const whole = parseWholeTrace(bytes);
  if (whole === null) {
    return null;
  }
  builder.add(whole.events);
  return builder.finish(whole.top, []);
}

/** The chunks' bytes in one array of `total` bytes. */
function joinChunks(chunks: Uint8Array[], total: number): Uint8Array {
  const joined = new Uint8Array(total);
  chunks.reduce((at, chunk) => {
    joined.set(chunk, at);
    return at + chunk.length;
  }, 0);
  return joined;
}

/** The scanner that feeds `builder` parsed events and lets it read events from bytes. */
function newScanner(builder: IModelBuilder, options: IReadTraceOptions): TraceEventScanner {
  return new TraceEventScanner(builder.add, options, builder.eventBytes);
}
