/**
 * One neutral sentence saying what a file that is not trace JSON looks like,
 * for the message of a {@link TraceFormatError}.
 *
 * Pure module.
 */

/** How many leading characters are inspected to guess the content. */
const SNIFF_CHARS = 4096;

/** How many keys of a JSON object are named in a message. */
export const MAX_KEYS_LISTED = 6;

/**
 * Describe text whose first non-blank character is not `[` or `{`:
 * HTML, XML, CSV, binary or plain text.
 */
export function describeNonJson(text: string): string {
  const head = text.slice(0, SNIFF_CHARS).trimStart();
  const lower = head.slice(0, 200).toLowerCase();
  if (head.indexOf('\u0000') >= 0 || countReplacementChars(head) > 8) {
    return 'The file is binary data, not JSON text.';
  }
  if (
    lower.startsWith('<!doctype html') ||
    lower.startsWith('<html') ||
    /<(head|body|div|script|title)[\s>]/.test(lower)
  ) {
    return 'The file is HTML, not JSON.';
  }
  if (lower.startsWith('<?xml') || lower.startsWith('<')) {
    return 'The file is XML or markup, not JSON.';
  }
  if (looksLikeCsv(head)) {
    return 'The file is CSV text, not JSON.';
  }
  return 'The file is plain text, not JSON.';
}

/**
 * Describe a parsed JSON value that is not a trace: its type and, for an
 * object, its first keys.
 */
export function describeNonTrace(value: unknown): string {
  if (value === null) {
    return 'The file is the JSON value null, not a trace.';
  }
  if (Array.isArray(value)) {
    return describeNonEventArray(value.length);
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    const listed = keys.slice(0, MAX_KEYS_LISTED).join(', ');
    const more = keys.length > MAX_KEYS_LISTED ? ', ...' : '';
    return keys.length === 0
      ? 'The file is an empty JSON object, without a traceEvents array.'
      : `The file is a JSON object without a traceEvents array (keys: ${listed}${more}).`;
  }
  return `The file is a JSON ${typeof value}, not a trace.`;
}

/** Describe a top-level JSON array of `count` items, none of them a trace event. */
export function describeNonEventArray(count: number): string {
  return `The file is a JSON array of ${count} items that are not trace events.`;
}

function countReplacementChars(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) {
    count++;
  }
  return count;
}

/** Two or more lines that all have the same, non-zero number of commas or tabs. */
function looksLikeCsv(head: string): boolean {
  const lines = head.split(/\r?\n/).filter(line => line.length > 0);
  if (lines.length < 2) {
    return false;
  }
  const complete = lines.slice(0, Math.min(lines.length - 1, 5));
  for (const sep of [',', '\t', ';']) {
    const counts = complete.map(line => line.split(sep).length - 1);
    if (counts[0] > 0 && counts.every(c => c === counts[0])) {
      return true;
    }
  }
  return false;
}
