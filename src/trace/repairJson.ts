/**
 * Lenient repair of broken trace JSON, used only after `JSON.parse` failed.
 *
 * Repairs what real producers write (docs/trace-formats.md §3):
 * - a trailing comma before `]` or `}` (torch_npu appending an empty list);
 * - raw control characters and invalid escapes inside strings (Windows
 *   paths and odd names in `with_stack` output, pytorch#98432);
 * - an event array cut off by an interrupted export: every complete event
 *   is kept and the open containers are closed;
 * - bytes after the end of the top-level value.
 *
 * Pure module.
 */

/** What {@link repairJson} produced. */
export interface IRepairedJson {
  /** Text that should now parse. */
  text: string;
  /** Neutral facts about what was changed. */
  warnings: string[];
  /** What was repaired, counted, so that callers repairing many pieces can add them up. */
  counts: IRepairCounts;
}

/** Repairs made inside the text, by kind. */
export interface IRepairCounts {
  /** Commas removed before a closing bracket. */
  trailingCommas: number;
  /** Raw control characters escaped inside strings. */
  controlChars: number;
  /** Invalid backslash escapes kept as literal backslashes. */
  badEscapes: number;
}

/**
 * The warnings for repair counts, in a fixed order, one neutral sentence
 * each; nothing for a zero count.
 */
export function repairWarnings(counts: IRepairCounts): string[] {
  const warnings: string[] = [];
  const { trailingCommas, controlChars, badEscapes } = counts;
  if (trailingCommas > 0) {
    warnings.push(
      `Removed ${trailingCommas} trailing comma${plural(trailingCommas)} before a closing bracket.`
    );
  }
  if (controlChars > 0) {
    warnings.push(
      `Escaped ${controlChars} raw control character${plural(controlChars)} inside strings.`
    );
  }
  if (badEscapes > 0) {
    warnings.push(
      `Kept ${badEscapes} invalid backslash escape${plural(badEscapes)} inside strings as literal backslashes.`
    );
  }
  return warnings;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
/** Characters below this code must be escaped inside JSON strings. */
const FIRST_PRINTABLE = 0x20;

const SHORT_ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r'
};

function isSimpleEscape(code: number): boolean {
  // " \ / b f n r t
  return (
    code === 34 ||
    code === 92 ||
    code === 47 ||
    code === 98 ||
    code === 102 ||
    code === 110 ||
    code === 114 ||
    code === 116
  );
}

function isHex(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 70) ||
    (code >= 97 && code <= 102)
  );
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Repair `text` as described in the module comment. A safe cut point is the
 * end of an object that is an element of the event array (the top-level
 * array, or an array directly inside the top-level object). Returns the text
 * unchanged when there is nothing it knows how to repair; the caller's
 * second `JSON.parse` then reports the real error.
 */
export function repairJson(text: string): IRepairedJson {
  const out: string[] = [];
  let segStart = 0;
  const stack: number[] = [];
  let inString = false;
  let trailingCommas = 0;
  let controlChars = 0;
  let badEscapes = 0;
  // Last end of a complete event: input index after its `}`, the output
  // pieces written so far, where the pending segment started, and the open
  // containers to close after it.
  let safeIndex = -1;
  let safePieces = 0;
  let safeSegStart = 0;
  let safeStack: number[] = [];
  let topEnd = -1;
  const n = text.length;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === QUOTE) {
        inString = false;
      } else if (c === BACKSLASH) {
        if (i + 1 >= n) {
          break; // cut inside an escape: truncation, handled below
        }
        const next = text.charCodeAt(i + 1);
        if (isSimpleEscape(next)) {
          i++;
        } else if (
          next === 117 /* u */ &&
          i + 5 < n &&
          isHex(text.charCodeAt(i + 2)) &&
          isHex(text.charCodeAt(i + 3)) &&
          isHex(text.charCodeAt(i + 4)) &&
          isHex(text.charCodeAt(i + 5))
        ) {
          i += 5;
        } else if (next === 117 && i + 5 >= n) {
          break; // cut inside a \u escape
        } else {
          // A lone backslash (C:\Users\...): keep it as a literal backslash.
          out.push(text.slice(segStart, i), '\\\\');
          segStart = i + 1;
          badEscapes++;
        }
      } else if (c < FIRST_PRINTABLE) {
        out.push(
          text.slice(segStart, i),
          SHORT_ESCAPES[c] ?? '\\u' + c.toString(16).padStart(4, '0')
        );
        segStart = i + 1;
        controlChars++;
      }
      continue;
    }
    if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length === 0 && topEnd >= 0) {
        break; // a second top-level value: treat as trailing garbage
      }
      stack.push(c);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      if (c === CLOSE_BRACE && isEventArrayLevel(stack)) {
        safeIndex = i + 1;
        safePieces = out.length;
        safeSegStart = segStart;
        safeStack = stack.slice();
      }
      if (stack.length === 0) {
        topEnd = i + 1;
      }
    } else if (c === COMMA) {
      let j = i + 1;
      while (j < n && isSpace(text.charCodeAt(j))) {
        j++;
      }
      const next = j < n ? text.charCodeAt(j) : -1;
      if (next === CLOSE_BRACKET || next === CLOSE_BRACE) {
        out.push(text.slice(segStart, i));
        segStart = i + 1;
        trailingCommas++;
      }
    } else if (
      stack.length === 0 &&
      topEnd >= 0 &&
      !isSpace(c)
    ) {
      break; // garbage after the top-level value
    }
  }

  const counts: IRepairCounts = { trailingCommas, controlChars, badEscapes };
  const warnings = repairWarnings(counts);

  const complete = !inString && stack.length === 0 && topEnd >= 0;
  if (complete) {
    out.push(text.slice(segStart, topEnd));
    const rest = text.slice(topEnd);
    if (rest.trim().length > 0) {
      warnings.push(
        `Ignored ${utf8Length(rest)} bytes after the end of the JSON value.`
      );
    }
    return { text: out.join(''), warnings, counts };
  }
  if (safeIndex < 0) {
    out.push(text.slice(segStart));
    return { text: out.join(''), warnings, counts };
  }
  // Truncated: keep everything up to the last complete event, close the rest.
  const kept = out.slice(0, safePieces);
  kept.push(text.slice(safeSegStart, safeIndex));
  for (let k = safeStack.length - 1; k >= 0; k--) {
    kept.push(safeStack[k] === OPEN_BRACE ? '}' : ']');
  }
  warnings.push(
    `The input ended inside the event array; ${utf8Length(text.slice(safeIndex))} bytes after the last complete event were dropped.`
  );
  return { text: kept.join(''), warnings, counts };
}

/** Whether the open containers are those around an event array: `[` or `{ [`. */
function isEventArrayLevel(stack: number[]): boolean {
  return (
    (stack.length === 1 && stack[0] === OPEN_BRACKET) ||
    (stack.length === 2 &&
      stack[0] === OPEN_BRACE &&
      stack[1] === OPEN_BRACKET)
  );
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
