/**
 * Bytes of one (already decompressed) trace file → the parsed top-level
 * value and its event list. Fast path: one `TextDecoder.decode`, a regex that
 * quotes long numbers, one `JSON.parse`. Broken JSON takes the slow
 * {@link repairJson} path; anything that is not a trace throws a
 * {@link TraceFormatError}.
 *
 * Pure module.
 */
import { describeNonJson, describeNonTrace } from './describeContent';
import { TraceFormatError } from './errors';
import { isGzip } from './gzip';
import { quoteBigNumbers } from './quoteBigNumbers';
import { repairJson } from './repairJson';

/**
 * Largest input read in one piece, in bytes. Above ~512 MiB V8 cannot hold
 * the text as one string (docs/performance.md); 400 MiB leaves room for the
 * quoted copy. Streaming will lift this limit.
 */
export const MAX_TRACE_BYTES = 400 * 2 ** 20;

/** Events scanned to decide whether an array holds trace events. */
const EVENT_SNIFF_COUNT = 100;

/** What {@link parseTraceJson} found. */
export interface IParsedTrace {
  /** The trace events, as parsed (long `ts`/`id` values are strings). */
  events: unknown[];
  /** The top-level object of a Kineto trace; null for a bare event array. */
  top: Record<string, unknown> | null;
  /** Repairs made, as neutral facts. */
  warnings: string[];
}

/**
 * Parse the bytes of one trace file: a bare JSON array of events (torch_npu
 * `trace_view.json`) or an object with `traceEvents` (Kineto).
 *
 * @throws {TraceFormatError} when the bytes are empty, too large, not JSON,
 *   or JSON that is not a trace.
 */
export function parseTraceJson(bytes: Uint8Array): IParsedTrace {
  if (bytes.length === 0) {
    throw new TraceFormatError('empty', 'The file is empty.');
  }
  if (bytes.length > MAX_TRACE_BYTES) {
    throw new TraceFormatError(
      'too-large',
      `The file has ${bytes.length} bytes, more than the ${MAX_TRACE_BYTES} bytes read in one piece.`
    );
  }
  if (isGzip(bytes)) {
    throw new TraceFormatError(
      'not-json',
      'The file is gzip-compressed data, not JSON text.'
    );
  }
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1); // byte order mark
  }
  const first = firstNonSpace(text);
  if (first < 0) {
    throw new TraceFormatError('empty', 'The file holds only whitespace.');
  }
  const open = text.charCodeAt(first);
  if (open !== 91 /* [ */ && open !== 123 /* { */) {
    throw new TraceFormatError('not-json', describeNonJson(text));
  }

  const warnings: string[] = [];
  const quoted = quoteBigNumbers(text);
  let value: unknown;
  try {
    value = JSON.parse(quoted);
  } catch {
    const repaired = repairJson(quoted);
    try {
      value = JSON.parse(repaired.text);
    } catch (error) {
      throw new TraceFormatError(
        'not-json',
        `The file starts like JSON but is not valid JSON (${(error as Error).message}).`
      );
    }
    warnings.push(...repaired.warnings);
  }

  let events: unknown[];
  let top: Record<string, unknown> | null = null;
  if (Array.isArray(value)) {
    events = value;
  } else if (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as Record<string, unknown>).traceEvents)
  ) {
    top = value as Record<string, unknown>;
    events = top.traceEvents as unknown[];
  } else {
    throw new TraceFormatError('not-a-trace', describeNonTrace(value));
  }
  if (events.length === 0) {
    throw new TraceFormatError('empty', 'The trace holds no events.');
  }
  if (!hasTraceEvents(events)) {
    throw new TraceFormatError(
      'not-a-trace',
      top === null
        ? describeNonTrace(value)
        : `The file's traceEvents array holds ${events.length} items that are not trace events.`
    );
  }
  return { events, top, warnings };
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      return i;
    }
  }
  return -1;
}

/** Whether any of the first events is an object with a string `ph`. */
function hasTraceEvents(events: unknown[]): boolean {
  const n = Math.min(events.length, EVENT_SNIFF_COUNT);
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (
      e !== null &&
      typeof e === 'object' &&
      typeof (e as Record<string, unknown>).ph === 'string'
    ) {
      return true;
    }
  }
  return false;
}
