/**
 * Bytes of a trace file → summary: the whole pipeline the worker and the CLI
 * share. The host supplies gunzip, since Node and browsers do it differently.
 */
import { isGzip } from '../trace/gzip';
import { IReadTraceOptions, readTrace, readTraceStream } from '../trace/readTrace';
import { applySiblings } from '../trace/siblings';
import { summarize } from '../analysis/summarize';
import type { IProfileSummary } from '../analysis/summary';
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

/** Decompresses gzip bytes. */
export type Gunzip = (bytes: Uint8Array) => Promise<Uint8Array>;

/**
 * Read and analyse one trace file.
 *
 * @param bytes The file as stored (plain JSON or gzip; sniffed, not guessed from the name).
 * @param gunzip Decompressor supplied by the host.
 * @param context Facts recorded beside the trace by the capture.
 * @throws TraceFormatError from the reader when the bytes are not a trace.
 */
export async function analyzeBytes(
  bytes: Uint8Array,
  gunzip: Gunzip,
  context: ICaptureContext = {}
): Promise<IProfileSummary> {
  return summarize(await readModel(bytes, gunzip, context));
}

/**
 * Read one trace file into its model with the capture facts merged in: what
 * {@link analyzeBytes} summarises, for callers that report the model's
 * metadata too (the CLI's versions and env).
 *
 * @throws TraceFormatError from the reader when the bytes are not a trace.
 */
export async function readModel(
  bytes: Uint8Array,
  gunzip: Gunzip,
  context: ICaptureContext = {}
): Promise<ITraceModel> {
  const plain = isGzip(bytes) ? await gunzip(bytes) : bytes;
  const model = readTrace(plain);
  // Before addContext: files the profiler wrote beside the trace win over the kernel's view.
  applySiblings(model, context.siblings ?? {});
  addContext(model, context);
  return model;
}

/** Inflates a gzip byte stream, chunk by chunk (the host supplies it: DecompressionStream, zlib). */
export type InflateStream = (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/**
 * Read one trace file that arrives in chunks into its model, with the
 * sibling files and capture facts merged in (the streamed form of
 * {@link readModel}). Gzip is sniffed from the first bytes.
 *
 * @throws TraceFormatError from the reader when the bytes are not a trace.
 */
export async function readModelStream(
  chunks: AsyncIterable<Uint8Array>,
  inflate: InflateStream,
  context: ICaptureContext = {},
  options: IReadTraceOptions = {}
): Promise<ITraceModel> {
  const iterator = chunks[Symbol.asyncIterator]();
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
  const plain = !first.done && isGzip(first.value) ? inflate(replay()) : replay();
  const model = await readTraceStream(plain, options);
  applySiblings(model, context.siblings ?? {});
  addContext(model, context);
  return model;
}

/**
 * Read and analyse one trace file that arrives in chunks (a fetch body, a
 * file read in pieces), without holding its bytes or text whole: any size.
 *
 * @param chunks The file's bytes in order, already inflated (pipe gzip
 *   through `DecompressionStream` first; gzip bytes are rejected).
 * @param context Facts recorded beside the trace by the capture.
 * @param options Progress (bytes read) and cancellation.
 * @throws TraceFormatError from the reader when the bytes are not a trace.
 * @throws TraceReadCancelledError when `options.signal` fires.
 */
export async function analyzeStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  context: ICaptureContext = {},
  options: IReadTraceOptions = {}
): Promise<IProfileSummary> {
  const model = await readTraceStream(chunks, options);
  addContext(model, context);
  return summarize(model);
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
