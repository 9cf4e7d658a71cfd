/**
 * Bytes of a trace file, as stored → its model with the facts recorded beside
 * it: the read the worker and the CLI share. The host supplies the gzip
 * inflater, since Node and browsers do it differently.
 */
import { inflateUntilDamaged, isGzip } from '../trace/gzip';
import { IReadTraceOptions, readTrace, readTraceStream } from '../trace/readTrace';
import { applySiblings } from '../trace/siblings';
import type { ITraceModel } from '../trace/model';

/**
 * Facts the capture recorded beside the trace (the profiling cell's bundle):
 * the environment as the kernel saw it, versions, device name. They fill
 * what the trace itself does not record; the trace wins where both do.
 */
export interface ICaptureContext {
  /** Environment variables (null = unset). */
  env?: Record<string, string | null>;
  /** Versions: torch, torch_npu, cann, ... */
  versions?: Record<string, string>;
  /** Device name. */
  device?: string;
  /** Runtime switches as they stood for the run (torch_npu `jit_compile`, `allow_internal_format`). */
  switches?: Record<string, boolean>;
  /**
   * Text of the Ascend files beside the trace, by name relative to the
   * `*_ascend_pt` folder (see `SIBLING_FILE_NAMES` in `trace/siblings`).
   */
  siblings?: Record<string, string>;
}

/** Inflates a gzip byte stream, chunk by chunk (the host supplies it: DecompressionStream, zlib). */
export type InflateStream = (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/**
 * Read one trace file held in memory into its model, with the sibling files
 * and capture facts merged in. Gzip is sniffed from the bytes and inflated as
 * a stream, so a cut-off gzip file still gives the events it holds.
 *
 * @param bytes The file as stored (plain JSON or gzip; sniffed, not guessed from the name).
 * @param inflate Decompressor supplied by the host.
 * @param context Facts recorded beside the trace by the capture.
 * @throws TraceFormatError from the reader when the bytes are not a trace.
 */
export async function readModel(
  bytes: Uint8Array,
  inflate: InflateStream,
  context: ICaptureContext = {}
): Promise<ITraceModel> {
  if (isGzip(bytes)) {
    return readModelStream([bytes], inflate, context);
  }
  const model = readTrace(bytes);
  withFilesBeside(model, context);
  return model;
}

/**
 * Read one trace file that arrives in chunks (a fetch body, a file read in
 * pieces) into its model, with the sibling files and capture facts merged in,
 * without holding its bytes or text whole: any size. Gzip is sniffed from the
 * first bytes; when its data ends early or is damaged, the events before that
 * point are read and a warning says so.
 *
 * @param chunks The file's bytes in order, as stored.
 * @param inflate Decompressor supplied by the host.
 * @param context Facts recorded beside the trace by the capture.
 * @param options Progress (bytes of text read) and cancellation.
 * @throws TraceFormatError from the reader when the bytes are not a trace.
 * @throws TraceReadCancelledError when `options.signal` fires.
 */
export async function readModelStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  inflate: InflateStream,
  context: ICaptureContext = {},
  options: IReadTraceOptions = {}
): Promise<ITraceModel> {
  const iterator = (
    Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : Private.asAsync(chunks)
  ) as AsyncIterator<Uint8Array>;
  let first = await iterator.next();
  // Enough bytes to sniff the gzip magic (an empty first chunk says nothing).
  while (!first.done && first.value.length === 0) {
    first = await iterator.next();
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (!first.done) {
      yield first.value;
    }
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      yield r.value;
    }
  }
  let damagedAfter = -1;
  const plain =
    !first.done && isGzip(first.value)
      ? inflateUntilDamaged(inflate, replay(), textBytes => (damagedAfter = textBytes))
      : replay();
  const model = await readTraceStream(plain, options);
  if (damagedAfter >= 0) {
    // First: it explains the reader's own note that the text stops mid-array.
    model.warnings.unshift(
      `The gzip data ends early or is damaged after ${Private.amount(damagedAfter)} of text; the events before that point were read.`
    );
  }
  withFilesBeside(model, context);
  return model;
}

/** Merge the sibling files, then the capture facts (files the profiler wrote win over the kernel's view). */
function withFilesBeside(model: ITraceModel, context: ICaptureContext): void {
  applySiblings(model, context.siblings ?? {});
  addContext(model, context);
}

/** Merge capture facts into the model's metadata, keeping what the trace recorded. */
export function addContext(model: ITraceModel, context: ICaptureContext): void {
  const meta = model.meta;
  for (const [name, value] of Object.entries(context.env ?? {})) {
    if (value !== null && value !== undefined && !(name in meta.env)) {
      meta.env[name] = String(value);
    }
  }
  for (const [name, value] of Object.entries(context.versions ?? {})) {
    if (value && !(name in meta.versions)) {
      meta.versions[name] = String(value);
    }
  }
  // The capture knows the device's model ("Ascend NPU Ascend910B3"); a trace
  // often only knows its kind ("Ascend NPU").
  if (context.device && (!meta.device || context.device.startsWith(meta.device))) {
    meta.device = context.device;
  }
  // Only the capture knows these: no trace records them.
  if (context.switches && Object.keys(context.switches).length > 0) {
    meta.switches = { ...context.switches };
  }
}

namespace Private {
  /** Bytes of text in words: "734 bytes", "21.2 MB". */
  export function amount(bytes: number): string {
    return bytes < 1e6 ? `${bytes} bytes` : `${(bytes / 1e6).toFixed(1)} MB`;
  }

  /** A synchronous iterable as an async iterator. */
  export async function* asAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    yield* chunks;
  }
}
