/**
 * Typed errors of the trace reader. Messages state facts about the input in
 * one neutral sentence; front ends (view, CLI) add their own advice.
 *
 * Pure module.
 */

/**
 * Why a file could not be read as a trace.
 *
 * - `empty`: no bytes, only whitespace, or an event list with no events.
 * - `not-json`: the bytes are not JSON (HTML, CSV, binary, broken JSON).
 * - `not-a-trace`: valid JSON that is not a Chrome trace (a notebook, a config).
 * - `too-large`: one event, or the top-level text outside the event array,
 *   is larger than the reader's bounds (`MAX_EVENT_BYTES`, `MAX_TOP_LEVEL_BYTES`).
 */
export type TraceFormatErrorKind =
  | 'empty'
  | 'not-json'
  | 'not-a-trace'
  | 'too-large';

/** The input is not a trace this reader understands. Detect it by `name` or `instanceof`. */
export class TraceFormatError extends Error {
  /** What is wrong with the input. */
  readonly kind: TraceFormatErrorKind;

  /**
   * @param kind - what is wrong with the input.
   * @param message - one neutral sentence saying what the input looks like instead.
   */
  constructor(kind: TraceFormatErrorKind, message: string) {
    super(message);
    this.name = 'TraceFormatError';
    this.kind = kind;
  }
}

/**
 * The read was stopped through its `AbortSignal`. Not a problem with the
 * file: front ends show nothing or "cancelled". Detect it by `name` or `instanceof`.
 */
export class TraceReadCancelledError extends Error {
  constructor() {
    super('Reading the trace was cancelled.');
    this.name = 'TraceReadCancelledError';
  }
}
