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
 * - `too-large`: more bytes than {@link MAX_TRACE_BYTES} allows.
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
