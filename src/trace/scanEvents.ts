/**
 * scanEvents: the bytes of one trace file, in chunks → batches of parsed
 * events, without ever holding the whole text.
 *
 * V8 cannot hold a string over ~512 MiB, and Chromium's `TextDecoder`
 * silently returns `""` above it (docs/performance.md §3), so a trace is never
 * decoded in one piece. A byte scanner walks the event array (the bare
 * top-level array of torch_npu, or the `traceEvents` array of a Kineto object)
 * and tracks string, escape and depth state across chunk boundaries. Every
 * {@link DEFAULT_BATCH_BYTES} or so it cuts at a comma between two events and
 * hands the complete events before the cut to `TextDecoder` +
 * {@link quoteBigNumbers} + one native `JSON.parse`: the fastest way to build
 * the event objects in JS (streaming JSON libraries are 4–8× slower).
 *
 * Given an {@link IEventByteSink}, each event object is first offered to it:
 * the model builder reads the usual events straight from the bytes
 * (`eventBytes.ts`), which is faster than building their objects. Items it
 * leaves (other shapes, text `JSON.parse` would reject) are batched and
 * parsed as above, in file order with the ones it read.
 *
 * The other top-level keys of a Kineto object (`deviceProperties`,
 * `baseTimeNanoseconds`, ...), before or after `traceEvents`, are kept as
 * bytes and parsed once at the end. Broken JSON is repaired per batch with
 * {@link repairJson}, and the repair counts are added up, so the warnings read
 * as if the whole file had been repaired at once.
 *
 * Pure module.
 */
import { describeNonEventArray, describeNonJson, describeNonTrace } from './describeContent';
import { TraceFormatError } from './errors';
import { isGzip } from './gzip';
import { NEED_MORE_BYTES } from './jsonBytes';
import { quoteBigNumbers } from './quoteBigNumbers';
import { IRepairCounts, repairJson, repairWarnings } from './repairJson';

/**
 * Bytes of event text parsed per `JSON.parse`, by default. Small batches let
 * the event objects die in V8's young generation instead of being promoted:
 * in Node 20, 256 KiB–512 KiB batches read ~15 % faster than 4 MiB and ~30 %
 * faster than 16 MiB (docs/benchmarks.md). Each parse also stays far below
 * the string cap.
 */
export const DEFAULT_BATCH_BYTES = 512 * 2 ** 10;

/**
 * Largest piece of input copied into the scan buffer at once, in bytes. A
 * caller may push one huge chunk (a whole file); it is scanned in pieces so
 * that batches stay near their size and the buffer near two batches.
 */
export const SCAN_PIECE_BYTES = 2 ** 20;

/**
 * Largest single event, in bytes. An event this large means the array is not
 * an event array (or the file is corrupt); above it the batch could no
 * longer be decoded as one string.
 */
export const MAX_EVENT_BYTES = 256 * 2 ** 20;

/**
 * Largest top-level text outside the event array, in bytes (Kineto's
 * `deviceProperties`, `distributedInfo`...: a few KB in real files). Also
 * bounds what is buffered of a JSON object that has no `traceEvents`.
 */
export const MAX_TOP_LEVEL_BYTES = 64 * 2 ** 20;

/**
 * Largest event the byte sink waits for when a chunk ends inside it; larger
 * ones are scanned and parsed with `JSON.parse`. Each wait reads the event
 * again from its start once its buffered bytes have doubled.
 */
export const MAX_BYTE_EVENT_BYTES = 2 ** 20;

/**
 * First size of the scan buffer, in bytes; it doubles as pieces need. Small,
 * because zeroing a buffer of a batch plus a piece (1.5 MiB) took longer
 * than reading a whole trace of a few KB.
 */
const INITIAL_SCAN_BUFFER_BYTES = 64 * 2 ** 10;

/** Leading bytes kept to describe a file that is not JSON. */
const HEAD_SNIFF_BYTES = 4096;

/** Events looked at to decide whether an array holds trace events. */
const EVENT_SNIFF_COUNT = 100;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
/** UTF-8 byte order mark, skipped at the start of the input. */
const BOM = [0xef, 0xbb, 0xbf];
/** The key of the Kineto event array, as bytes. */
const TRACE_EVENTS_KEY = Array.from('traceEvents', ch => ch.charCodeAt(0));
/** Text that stands for the event array when the top-level object is parsed. */
const EVENTS_PLACEHOLDER = '"traceEvents":[]';

/** Where the scanner is in the input. */
const enum Mode {
  /** Before the first significant byte. */
  Start,
  /** The input does not start with `[` or `{`: collecting its head to describe it. */
  NotJson,
  /** Inside the top-level object, outside the event array. */
  Top,
  /** Inside the event array. */
  Events,
  /** After the end of the top-level value. */
  Trailing
}

/**
 * Reads event objects straight from the scan buffer (the model builder; see
 * `eventBytes.ts`). The scanner offers it every item of the event array that
 * starts with `{`, and hands it the ones it read back in file order with the
 * parsed batches.
 */
export interface IEventByteSink {
  /** The scan buffer changed: later reads see `buf[0..length)`. */
  load(buf: Uint8Array, length: number): void;
  /**
   * Read the object that opens at `buf[start]` and the separator after it.
   *
   * @returns the index of the separator (`,` or the closing `]`);
   *   `NEED_MORE_BYTES` when the buffer ends at `end` before it; any other
   *   negative number to leave the item to `JSON.parse`.
   */
  read(buf: Uint8Array, start: number, end: number): number;
  /** Index just after the object of the last successful {@link read}. */
  readonly objectEnd: number;
  /** Whether the event of the last successful {@link read} has a string `ph`. */
  readonly hasPhase: boolean;
  /** Add the event of the last successful {@link read} to the model; `buf` is unchanged since. */
  commit(buf: Uint8Array): void;
  /**
   * Read and add the items from `buf[start]` on, for as long as it can
   * take each one whole, with the comma after it (0 when it takes none).
   */
  readRun(buf: Uint8Array, start: number, end: number): number;
  /** Of the last {@link readRun}: the comma after its last item, the end of its last object, its first item with a string `ph` (-1: none). */
  readonly run: { readonly end: number; readonly objectEnd: number; readonly firstPhase: number };
}

/**
 * Offset in the input from which events are offered to the byte sink, by
 * default: from the start, since the WebAssembly event reader is faster
 * than `JSON.parse` of batches from its first event (docs/benchmarks.md).
 */
export const DEFAULT_BYTE_READER_FROM = 0;

/** Options of {@link TraceEventScanner}. */
export interface IScanOptions {
  /** Bytes of event text per `JSON.parse`; default {@link DEFAULT_BATCH_BYTES}. */
  batchBytes?: number;
  /**
   * Input offset from which the byte sink reads events, default
   * {@link DEFAULT_BYTE_READER_FROM}; 0 from the start, `Infinity` never.
   * The model is the same either way.
   */
  byteReaderFrom?: number;
}

/** What the scan found besides the events. */
export interface IScanResult {
  /** The top-level object of a Kineto trace without its event array; null for a bare array. */
  top: Record<string, unknown> | null;
  /** Repairs made, as neutral facts. */
  warnings: string[];
  /** Items in the event array. */
  itemCount: number;
  /** Bytes read. */
  bytesRead: number;
}

/**
 * Push-based scanner: `push` each chunk of the file in order, then `finish`.
 * Complete events go to `onEvents` in file order, in batches (long `ts` and
 * `id` values as exact strings, see {@link quoteBigNumbers}).
 *
 * Holds at most one batch plus one event plus one piece of input.
 */
export class TraceEventScanner {
  /**
   * @param onEvents - receives each batch of parsed events, in file order.
   * @param options - batch size, where the byte reader starts.
   * @param eventBytes - reads the usual events from bytes; without it every
   *   event is parsed by `JSON.parse`.
   */
  constructor(
    onEvents: (events: unknown[]) => void,
    options: IScanOptions = {},
    eventBytes: IEventByteSink | null = null
  ) {
    this._onEvents = onEvents;
    this._sink = eventBytes;
    this._sinkFrom = options.byteReaderFrom ?? DEFAULT_BYTE_READER_FROM;
    this._batchBytes = Math.max(1, options.batchBytes ?? DEFAULT_BATCH_BYTES);
    this._buf = new Uint8Array(INITIAL_SCAN_BUFFER_BYTES);
  }

  /** Bytes pushed so far. */
  get bytesRead(): number {
    return this._total;
  }

  /**
   * Scan the next chunk of the file. The chunk is copied; the caller may reuse it.
   *
   * @throws {TraceFormatError} as soon as the input cannot be a trace.
   */
  push(chunk: Uint8Array): void {
    for (let off = 0; off < chunk.length; off += SCAN_PIECE_BYTES) {
      this._pushPiece(
        chunk.subarray(off, Math.min(chunk.length, off + SCAN_PIECE_BYTES))
      );
    }
  }

  /**
   * End of input: parse what is left, the top-level object, and check that
   * the events are trace events.
   *
   * @throws {TraceFormatError} when the input is empty, not JSON, or not a trace.
   */
  finish(): IScanResult {
    if (this._waitFrom >= 0) {
      // The input ended inside an event the sink waited for: scan it as text.
      const start = this._waitFrom - this._base;
      this._waitFrom = -1;
      this._final = true;
      this._run(start);
    }
    const trailer: string[] = [];
    switch (this._mode) {
      case Mode.Start:
        throw new TraceFormatError(
          'empty',
          this._total === 0 ? 'The file is empty.' : 'The file holds only whitespace.'
        );
      case Mode.NotJson:
        this._throwNotJson();
        break;
      case Mode.Top:
        if (this._topPrefix === null) {
          throw new TraceFormatError(
            'not-json',
            'The file starts like JSON but is not valid JSON (the input ended inside the top-level object).'
          );
        }
        // Cut after the event array: keep what came before it.
        trailer.push(
          `The input ended inside the top-level object; ${this._total - this._topStart} bytes after the event array were dropped.`
        );
        this._topSuffix = '}';
        break;
      case Mode.Events:
        trailer.push(this._finishTruncatedEvents());
        break;
      case Mode.Trailing:
        if (this._trailingGarbage) {
          trailer.push(
            `Ignored ${this._total - this._valueEnd} bytes after the end of the JSON value.`
          );
        }
        break;
    }

    let top: Record<string, unknown> | null = null;
    if (this._topPrefix !== null || this._topSuffix !== null) {
      const text = this._topPrefix === null
        ? this._topSuffix!
        : this._topPrefix + EVENTS_PLACEHOLDER + this._topSuffix!;
      const value = this._parse(text);
      if (
        value === null ||
        typeof value !== 'object' ||
        Array.isArray(value) ||
        this._topPrefix === null
      ) {
        throw new TraceFormatError('not-a-trace', describeNonTrace(value));
      }
      top = value as Record<string, unknown>;
      delete top.traceEvents;
    }
    if (this._itemCount === 0) {
      throw new TraceFormatError('empty', 'The trace holds no events.');
    }
    if (!this._sawEvent) {
      throw new TraceFormatError(
        'not-a-trace',
        top === null
          ? describeNonEventArray(this._itemCount)
          : `The file's traceEvents array holds ${this._itemCount} items that are not trace events.`
      );
    }
    return {
      top,
      warnings: [
        ...(this._leadingCommas > 0
          ? [`Removed ${this._leadingCommas} comma${this._leadingCommas === 1 ? '' : 's'} before the first event (events appended to an empty list).`]
          : []),
        ...repairWarnings(this._repairs),
        ...trailer
      ],
      itemCount: this._itemCount,
      bytesRead: this._total
    };
  }

  private _pushPiece(piece: Uint8Array): void {
    const n = piece.length;
    if (this._headLength < HEAD_SNIFF_BYTES) {
      const taken = piece.subarray(0, HEAD_SNIFF_BYTES - this._headLength);
      this._head.set(taken, this._headLength);
      this._headLength += taken.length;
    }
    if (this._mode === Mode.NotJson) {
      this._total += n;
      if (this._headLength >= HEAD_SNIFF_BYTES) {
        this._throwNotJson();
      }
      return;
    }
    this._reserve(n);
    const from = this._len;
    this._buf.set(piece, from);
    this._len += n;
    this._total += n;
    this._run(from);
    this._compact(this._keepFrom());
    this._checkBounds();
  }

  /** Scan the buffer from index `i` to its end, switching modes as needed. */
  private _run(i: number): void {
    this._sinkLoaded = false;
    while (i < this._len) {
      switch (this._mode) {
        case Mode.Start:
          i = this._scanStart(i);
          break;
        case Mode.Top:
          i = this._scanTop(i);
          break;
        case Mode.Events:
          i = this._scanEvents(i);
          break;
        case Mode.Trailing:
          i = this._scanTrailing(i);
          break;
        case Mode.NotJson:
          return;
      }
    }
  }

  private _scanStart(i: number): number {
    const buf = this._buf;
    for (; i < this._len; i++) {
      const c = buf[i];
      const at = this._base + i;
      if (at < BOM.length && at === this._bomBytes && c === BOM[at]) {
        this._bomBytes++;
        continue;
      }
      if (isSpace(c)) {
        continue;
      }
      if (c === OPEN_BRACKET) {
        this._enterEvents(i);
        return i + 1;
      }
      if (c === OPEN_BRACE) {
        this._mode = Mode.Top;
        this._topStart = at;
        this._topDepth = 1;
        return i + 1;
      }
      this._mode = Mode.NotJson;
      if (this._headLength >= HEAD_SNIFF_BYTES) {
        this._throwNotJson();
      }
      return this._len;
    }
    return i;
  }

  /** Top-level object, outside the event array: slow path, a few KB per file. */
  private _scanTop(i: number): number {
    const buf = this._buf;
    const base = this._base;
    for (; i < this._len; i++) {
      const c = buf[i];
      if (this._inString) {
        if (this._escape) {
          this._escape = false;
        } else if (c === BACKSLASH) {
          this._escape = true;
        } else if (c === QUOTE) {
          this._inString = false;
          this._keyState =
            this._topDepth === 1 &&
            this._topPrefix === null &&
            this._isTraceEventsKey(this._stringStart - base + 1, i)
              ? 1
              : 0;
          if (this._keyState === 1) {
            this._keyStart = this._stringStart;
          }
        }
        continue;
      }
      if (isSpace(c)) {
        continue;
      }
      if (c === QUOTE) {
        this._inString = true;
        this._stringStart = base + i;
        this._keyState = 0;
      } else if (c === COLON) {
        this._keyState = this._keyState === 1 ? 2 : 0;
      } else if (c === OPEN_BRACKET && this._keyState === 2) {
        this._keyState = 0;
        // Everything before the key; the key and array are put back as `[]`.
        this._topPrefix = this._decoder.decode(
          buf.subarray(this._topStart - base, this._keyStart - base)
        );
        this._enterEvents(i);
        return i + 1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this._topDepth++;
        this._keyState = 0;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this._topDepth--;
        this._keyState = 0;
        if (this._topDepth === 0) {
          this._topSuffix = this._decoder.decode(
            buf.subarray(this._topStart - base, i + 1)
          );
          this._mode = Mode.Trailing;
          this._valueEnd = base + i + 1;
          return i + 1;
        }
      } else {
        this._keyState = 0;
      }
    }
    return i;
  }

  private _isTraceEventsKey(from: number, to: number): boolean {
    if (to - from !== TRACE_EVENTS_KEY.length) {
      return false;
    }
    for (let k = 0; k < TRACE_EVENTS_KEY.length; k++) {
      if (this._buf[from + k] !== TRACE_EVENTS_KEY[k]) {
        return false;
      }
    }
    return true;
  }

  /** The array opened at buffer index `open` is the event array. */
  private _enterEvents(open: number): void {
    this._mode = Mode.Events;
    this._depth = 0;
    this._inString = false;
    this._escape = false;
    this._batchStart = this._base + open + 1;
    this._afterComma = false;
    this._atItem = this._sink !== null && this._batchStart >= this._sinkFrom;
  }

  /** The event array, from buffer index `from`: items read by the sink, or scanned as text. */
  private _scanEvents(from: number): number {
    let i = from;
    if (this._waitFrom >= 0) {
      const start = this._waitFrom - this._base;
      if (this._len - start < this._waitBytes) {
        return this._len;
      }
      this._waitFrom = -1;
      i = start;
    }
    while (i < this._len && this._mode === Mode.Events) {
      i = this._atItem ? this._readItem(i) : this._scanText(i);
    }
    return i;
  }

  /**
   * At the start of an item (after `[` or a comma): let the sink read it.
   * Returns where to go on; `_atItem` is cleared when the item is left to
   * the text scan.
   */
  private _readItem(i: number): number {
    const buf = this._buf;
    const len = this._len;
    while (i < len && isSpace(buf[i])) {
      i++;
    }
    if (i >= len) {
      return len;
    }
    if (buf[i] === COMMA && this._isLeadingComma(i)) {
      return this._skipLeadingComma(i);
    }
    if (buf[i] === COMMA) {
      throw new TraceFormatError(
        'not-json',
        'The file starts like JSON but is not valid JSON (an empty item between two commas of the event array).'
      );
    }
    if (buf[i] === OPEN_BRACE) {
      if (!this._sinkLoaded) {
        this._sink!.load(buf, len);
        this._sinkLoaded = true;
      }
      if (!this._pendingText) {
        const items = this._sink!.readRun(buf, i, len);
        if (items > 0) {
          return this._takeRun(items);
        }
      }
      const sep = this._sink!.read(buf, i, len);
      if (sep >= 0) {
        return this._takeItem(sep);
      }
      if (sep === NEED_MORE_BYTES && !this._final && len - i <= MAX_BYTE_EVENT_BYTES) {
        this._waitFrom = this._base + i;
        this._waitBytes = 2 * (len - i);
        return len;
      }
    }
    this._atItem = false;
    this._pendingText = true;
    return i;
  }

  /** The sink read and added `items` items, each followed by a comma: go on after the last one. */
  private _takeRun(items: number): number {
    const run = this._sink!.run;
    return this._tookItems(items, run.firstPhase, run.objectEnd, run.end);
  }

  /** The sink read an item whose separator is at `sep`: hand it over after the text items before it. */
  private _takeItem(sep: number): number {
    const sink = this._sink!;
    if (this._pendingText) {
      this._pendingText = false;
      this._parseBatch(this._batchStart - this._base, this._lastComma - this._base);
    }
    sink.commit(this._buf);
    return this._tookItems(1, sink.hasPhase ? 0 : -1, sink.objectEnd, sep);
  }

  /**
   * The sink took `items` items, the last one's object ending at `objectEnd`
   * and followed by the separator at `sep`: count them, look for a trace
   * event among the first ones (`firstPhase`: the index of the first with a
   * string `ph`, or -1), and go on after the separator.
   */
  private _tookItems(items: number, firstPhase: number, objectEnd: number, sep: number): number {
    const base = this._base;
    this._itemCount += items;
    if (!this._sawEvent && this._sniffLeft > 0) {
      this._sawEvent = firstPhase >= 0 && firstPhase < this._sniffLeft;
      this._sniffLeft = Math.max(0, this._sniffLeft - items);
    }
    this._lastElementEnd = base + objectEnd;
    if (this._buf[sep] === COMMA) {
      this._batchStart = base + sep + 1;
      this._lastComma = base + sep;
      this._afterComma = true;
    } else {
      this._batchStart = base + sep;
      this._afterComma = false;
      this._atItem = false;
      this._closeEvents(sep);
    }
    return sep + 1;
  }

  /**
   * Hot loop of the text scan: only depth and strings matter here; commas at
   * depth 0 are the cut points between events. With a sink, it stops after
   * each such comma (from the sink's offset on) so that the sink can try the
   * next item.
   */
  private _scanText(from: number): number {
    const buf = this._buf;
    const len = this._len;
    const base = this._base;
    let depth = this._depth;
    let i = from;
    if (this._inString) {
      if (this._escape) {
        i++; // the escaped byte came first in this piece
        this._escape = false;
      }
      while (i < len) {
        const d = buf[i];
        if (d === QUOTE) {
          break;
        }
        if (d === BACKSLASH) {
          i++;
        }
        i++;
      }
      if (i >= len) {
        this._escape = i > len; // the piece ended right after a backslash
        return len;
      }
      this._inString = false;
      i++;
    }
    while (i < len) {
      const c = buf[i];
      if (c === QUOTE) {
        i++;
        while (i < len) {
          const d = buf[i];
          if (d === QUOTE) {
            break;
          }
          if (d === BACKSLASH) {
            i++;
          }
          i++;
        }
        if (i >= len) {
          this._inString = true;
          this._escape = i > len;
          break;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) {
          this._depth = 0;
          this._closeEvents(i);
          return i + 1;
        }
        depth--;
        if (depth === 0) {
          this._lastElementEnd = base + i + 1;
        }
      } else if (c === COMMA && depth === 0 && this._isLeadingComma(i)) {
        i = this._skipLeadingComma(i);
        continue;
      } else if (c === COMMA && depth === 0) {
        const start = this._batchStart - base;
        if (i - start >= this._batchBytes) {
          this._parseBatch(start, i);
          this._batchStart = base + i + 1;
          this._afterComma = true;
          this._pendingText = false;
        } else {
          this._pendingText = true;
        }
        if (this._sink !== null && base + i >= this._sinkFrom) {
          this._lastComma = base + i;
          this._atItem = true;
          this._depth = 0;
          return i + 1;
        }
      }
      i++;
    }
    this._depth = depth;
    return len;
  }

  /**
   * Whether the comma at buffer index `i` comes before any item of the event
   * array: `[,{...}`, what torch_npu writes when it appends its events to an
   * empty framework list (the framework part is written without its `]`,
   * then `,` and the appended events).
   */
  private _isLeadingComma(i: number): boolean {
    if (this._lastElementEnd >= 0) {
      return false;
    }
    for (let k = this._batchStart - this._base; k < i; k++) {
      if (!isSpace(this._buf[k])) {
        return false;
      }
    }
    return true;
  }

  /** Drop the leading comma at buffer index `i`, counted as a repair; returns the index after it. */
  private _skipLeadingComma(i: number): number {
    this._leadingCommas++;
    this._batchStart = this._base + i + 1;
    return i + 1;
  }

  /** The event array closes at buffer index `close`: parse the last batch. */
  private _closeEvents(close: number): void {
    const start = this._batchStart - this._base;
    let end = close;
    let k = close - 1;
    while (k >= start && isSpace(this._buf[k])) {
      k--;
    }
    if (k >= start && this._buf[k] === COMMA) {
      this._repairs.trailingCommas++; // `{...},]`: torch_npu appending an empty list
      end = k;
    } else if (k < start && this._afterComma) {
      this._repairs.trailingCommas++; // the comma was the last cut
    }
    if (k >= start) {
      this._parseBatch(start, end);
    }
    this._batchStart = this._base + close + 1;
    if (this._topPrefix === null) {
      this._mode = Mode.Trailing;
      this._valueEnd = this._base + close + 1;
    } else {
      this._mode = Mode.Top;
      this._topStart = this._base + close + 1;
    }
  }

  /** End of input inside the event array: keep every complete event. */
  private _finishTruncatedEvents(): string {
    if (this._lastElementEnd < 0) {
      if (this._depth === 0 && !this._inString) {
        throw new TraceFormatError(
          'empty',
          'The event array was opened but holds no event (the export stopped before writing one).'
        );
      }
      throw new TraceFormatError(
        'not-json',
        'The file starts like JSON but is not valid JSON (the input ended inside the first event).'
      );
    }
    const start = this._batchStart - this._base;
    const end = this._lastElementEnd - this._base;
    if (end > start) {
      this._parseBatch(start, end);
    }
    if (this._topPrefix !== null) {
      this._topSuffix = '}';
    }
    return `The input ended inside the event array; ${this._total - this._lastElementEnd} bytes after the last complete event were dropped.`;
  }

  private _scanTrailing(i: number): number {
    for (; i < this._len; i++) {
      if (!isSpace(this._buf[i])) {
        this._trailingGarbage = true;
        return this._len;
      }
    }
    return i;
  }

  /**
   * Parse the events in buffer `[start, end)`. The byte before `start` is the
   * `[` or the comma of the previous cut, and the byte at `end` is a comma,
   * the closing `]` or free: they become the brackets of the batch, so the
   * text is decoded with no concatenation.
   */
  private _parseBatch(start: number, end: number): void {
    const buf = this._buf;
    buf[start - 1] = OPEN_BRACKET;
    buf[end] = CLOSE_BRACKET;
    const text = this._decoder.decode(buf.subarray(start - 1, end + 1));
    const value = this._parse(text) as unknown[];
    const events = Array.isArray(value) ? value : [value];
    this._itemCount += events.length;
    for (let k = 0; k < events.length && !this._sawEvent && this._sniffLeft > 0; k++) {
      this._sniffLeft--;
      const e = events[k];
      if (
        e !== null &&
        typeof e === 'object' &&
        typeof (e as Record<string, unknown>).ph === 'string'
      ) {
        this._sawEvent = true;
      }
    }
    this._onEvents(events);
  }

  /** `JSON.parse` with long numbers quoted; repair on failure. */
  private _parse(text: string): unknown {
    const quoted = quoteBigNumbers(text);
    try {
      return JSON.parse(quoted);
    } catch {
      const repaired = repairJson(quoted);
      try {
        const value = JSON.parse(repaired.text);
        this._repairs.trailingCommas += repaired.counts.trailingCommas;
        this._repairs.controlChars += repaired.counts.controlChars;
        this._repairs.badEscapes += repaired.counts.badEscapes;
        return value;
      } catch (error) {
        throw new TraceFormatError(
          'not-json',
          `The file starts like JSON but is not valid JSON (${(error as Error).message}).`
        );
      }
    }
  }

  private _throwNotJson(): never {
    const head = this._head.subarray(0, this._headLength);
    if (isGzip(head)) {
      throw new TraceFormatError(
        'not-json',
        'The file is gzip-compressed data, not JSON text.'
      );
    }
    let text = this._decoder.decode(head);
    if (text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
    }
    throw new TraceFormatError('not-json', describeNonJson(text));
  }

  /** First absolute offset still needed, as a buffer index. */
  private _keepFrom(): number {
    switch (this._mode) {
      case Mode.Events:
        return this._batchStart - 1 - this._base; // keep the byte before: the batch's `[`
      case Mode.Top:
        return this._topStart - this._base;
      default:
        return this._len;
    }
  }

  /** Drop the buffer before index `keep`. */
  private _compact(keep: number): void {
    if (keep <= 0) {
      return;
    }
    this._buf.copyWithin(0, keep, this._len);
    this._len -= keep;
    this._base += keep;
  }

  /** Room for `n` more bytes plus one free byte (a batch's closing bracket). */
  private _reserve(n: number): void {
    const need = this._len + n + 1;
    if (need > this._buf.length) {
      const grown = new Uint8Array(Math.max(need, this._buf.length * 2));
      grown.set(this._buf.subarray(0, this._len));
      this._buf = grown;
    }
  }

  private _checkBounds(): void {
    if (this._mode === Mode.Events && this._len > this._batchBytes + MAX_EVENT_BYTES) {
      throw new TraceFormatError(
        'too-large',
        `An item of the event array is larger than ${MAX_EVENT_BYTES} bytes.`
      );
    }
    if (this._mode === Mode.Top && this._len > MAX_TOP_LEVEL_BYTES) {
      throw new TraceFormatError(
        'too-large',
        `The top-level JSON object holds more than ${MAX_TOP_LEVEL_BYTES} bytes outside a traceEvents array.`
      );
    }
  }

  private readonly _onEvents: (events: unknown[]) => void;
  private readonly _sink: IEventByteSink | null;
  /** Input offset from which items are offered to `_sink`. */
  private readonly _sinkFrom: number;
  private readonly _batchBytes: number;
  private readonly _decoder = new TextDecoder('utf-8');
  /** Unconsumed input; `_buf[0]` is input offset `_base`. */
  private _buf: Uint8Array;
  private _len = 0;
  private _base = 0;
  private _total = 0;
  /** The first bytes of the input, to describe a file that is not JSON. */
  private readonly _head = new Uint8Array(HEAD_SNIFF_BYTES);
  private _headLength = 0;
  private _bomBytes = 0;
  private _mode: Mode = Mode.Start;
  // String state, shared by the top-level and event scans.
  private _inString = false;
  private _escape = false;
  // Top-level object (absolute offsets).
  private _topStart = 0;
  private _topDepth = 0;
  private _stringStart = 0;
  private _keyStart = 0;
  /** 1: a depth-1 string `"traceEvents"` just closed; 2: and its colon. */
  private _keyState = 0;
  private _topPrefix: string | null = null;
  private _topSuffix: string | null = null;
  private _valueEnd = 0;
  private _trailingGarbage = false;
  // Event array (absolute offsets).
  private _depth = 0;
  private _batchStart = 0;
  private _afterComma = false;
  private _lastElementEnd = -1;
  // Items read by the sink (absolute offsets).
  /** At the start of an item, which the sink may read. */
  private _atItem = false;
  /** The sink was given the buffer as it is now ({@link IEventByteSink.load}). */
  private _sinkLoaded = false;
  /** Items scanned as text wait in `[_batchStart, _lastComma)` for the next parse. */
  private _pendingText = false;
  private _lastComma = 0;
  /** Start of an item the sink needs more bytes for, or -1. */
  private _waitFrom = -1;
  /** Buffered bytes from `_waitFrom` before the sink tries again. */
  private _waitBytes = 0;
  /** The input ended: the sink no longer waits for bytes. */
  private _final = false;
  private _itemCount = 0;
  private _sniffLeft = EVENT_SNIFF_COUNT;
  private _sawEvent = false;
  /** Commas dropped before the first event (`[,{...}`). */
  private _leadingCommas = 0;
  private readonly _repairs: IRepairCounts = {
    trailingCommas: 0,
    controlChars: 0,
    badEscapes: 0
  };
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
