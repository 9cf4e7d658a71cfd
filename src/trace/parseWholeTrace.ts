/**
 * parseWholeTrace: a small trace file parsed with one `JSON.parse` of its
 * whole text, when that gives exactly what the scanner (`scanEvents.ts`)
 * would hand the model builder.
 *
 * For files of a few hundred KB the scanner's JavaScript walk over every
 * byte, run before V8 has compiled it, costs more than the native parse
 * itself; one whole parse has no such walk. Anything the scanner treats in
 * its own way (broken JSON it repairs, a non-trace it describes, a
 * `traceEvents` key that is not the only one) is left to it: the caller
 * gets null and scans.
 *
 * Pure module.
 */
import { quoteBigNumbers } from './quoteBigNumbers';

/** The key of the Kineto event array, with its quotes, as it appears in the text. */
const TRACE_EVENTS_KEY = '"traceEvents"';

/** An escape that could spell a key's letters (`\u0065`): keys may not be what their bytes say. */
const UNICODE_ESCAPE = '\\u';

/** Items looked at for a trace event, as the scanner does before it accepts a file. */
const EVENT_SNIFF_COUNT = 100;

/** A whole trace, parsed. */
export interface IWholeTrace {
  /** The items of the event array, in file order. */
  events: unknown[];
  /** The top-level object of a Kineto trace without `traceEvents`; null for a bare array. */
  top: Record<string, unknown> | null;
}

/**
 * Parse the whole decompressed file at once, with long `ts` and `id`
 * numbers kept as text ({@link quoteBigNumbers}) as the scanner keeps them.
 *
 * @param bytes - the file's bytes; a UTF-8 byte order mark is skipped.
 * @returns the events and top-level object, or null when the scanner must
 *   read the file: not strict JSON, not an event array or an object with one
 *   `traceEvents` array, no trace event among the first items.
 */
export function parseWholeTrace(bytes: Uint8Array): IWholeTrace | null {
  const text = new TextDecoder('utf-8').decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(quoteBigNumbers(text));
  } catch {
    return null; // the scanner repairs it and counts the repairs, or says what it is
  }
  if (Array.isArray(value)) {
    return hasTraceEvent(value) ? { events: value, top: null } : null;
  }
  if (value === null || typeof value !== 'object') {
    return null;
  }
  // The scanner takes the first `"traceEvents"` key as written at depth 1;
  // JSON.parse the last one spelled so after escapes. They agree when the
  // text holds that key once and no escape that could spell another.
  const top = value as Record<string, unknown>;
  const events = top.traceEvents;
  const at = text.indexOf(TRACE_EVENTS_KEY);
  if (
    !Array.isArray(events) ||
    at < 0 ||
    text.indexOf(TRACE_EVENTS_KEY, at + 1) >= 0 ||
    text.includes(UNICODE_ESCAPE) ||
    !hasTraceEvent(events)
  ) {
    return null;
  }
  delete top.traceEvents;
  return { events, top };
}

/** Whether one of the first items is an object with a string `ph`, as the scanner requires. */
function hasTraceEvent(items: unknown[]): boolean {
  const n = Math.min(items.length, EVENT_SNIFF_COUNT);
  for (let k = 0; k < n; k++) {
    const e = items[k];
    if (e !== null && typeof e === 'object' && typeof (e as Record<string, unknown>).ph === 'string') {
      return true;
    }
  }
  return false;
}
