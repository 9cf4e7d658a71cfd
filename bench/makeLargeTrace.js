/**
 * Build a large trace from the real events of a public trace, repeated with
 * shifted times and ids, for `npm run bench`.
 *
 *   node bench/makeLargeTrace.js ascend|kineto SIZE_MB OUT_FILE
 *   node bench/makeLargeTrace.js ascend|kineto --events COUNT OUT_FILE
 *
 * The second form stops at COUNT events (all phases: slices, flows,
 * counters, metadata) instead of a size, for benchmarks by event count.
 *
 * Each event's text is copied byte for byte from the source (same key order,
 * spacing and string escapes as the producer wrote them); only `ts`, `id` and
 * `correlation` change, so every repetition is a distinct, consistent copy:
 * flows still pair up and the timeline is one long run. Metadata events are
 * written once. Plain Node, no build needed.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

/** Source trace of each kind, relative to test/fixtures/public-traces. */
const SOURCES = {
  ascend:
    'ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz',
  kineto: 'hta/trace_diff/control/control.json.gz'
};

/** Added to ids per repetition: above the largest id of one copy. */
const ID_STRIDE = 10n ** 9n;

/** Gap between two copies on the timeline, µs. */
const GAP_US = 10000;

/** Bytes buffered before each write. */
const WRITE_BYTES = 8 * 2 ** 20;

const TS_FIELD = /("ts"\s*:\s*)("?)(-?\d+)(\.\d+)?("?)/;
const ID_FIELD = /("id"\s*:\s*)("?)(\d+)("?)/;
const CORRELATION_FIELD = /("correlation"\s*:\s*)(\d+)/;
const METADATA = /"ph"\s*:\s*"M"/;

/** The source's text, and the texts of its events. */
function splitEvents(text) {
  const arrayStart = text.trimStart().startsWith('[')
    ? text.indexOf('[')
    : text.indexOf('[', text.indexOf('"traceEvents"'));
  const events = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  let i = arrayStart + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      if (depth === 0) {
        start = i;
      }
      depth++;
    } else if (c === '}' || c === ']') {
      if (depth === 0) {
        break; // end of the event array
      }
      depth--;
      if (depth === 0) {
        events.push(text.slice(start, i + 1));
      }
    }
  }
  return {
    before: text.slice(0, arrayStart + 1),
    after: text.slice(i),
    events
  };
}

/** The event text of copy `k`, shifted by `k * stepUs` µs. */
function shifted(event, k, stepUs) {
  if (k === 0) {
    return event;
  }
  let out = event.replace(TS_FIELD, (_, key, q1, whole, frac, q2) =>
    key + q1 + String(Number(whole) + k * stepUs) + (frac ?? '') + q2
  );
  out = out.replace(ID_FIELD, (_, key, q1, id, q2) =>
    key + q1 + String(BigInt(id) + BigInt(k) * ID_STRIDE) + q2
  );
  out = out.replace(CORRELATION_FIELD, (_, key, c) =>
    key + String(Number(c) + k * Number(ID_STRIDE))
  );
  return out;
}

/**
 * Write a trace of about `sizeMb` MB (10^6 bytes) made from `kind`'s source,
 * or of exactly `maxEvents` events when given (then `sizeMb` is ignored).
 */
function makeLargeTrace(kind, sizeMb, outFile, maxEvents = Infinity) {
  const source = path.join(
    __dirname,
    '..',
    'test',
    'fixtures',
    'public-traces',
    SOURCES[kind]
  );
  const raw = fs.readFileSync(source);
  const text = (raw[0] === 0x1f ? zlib.gunzipSync(raw) : raw).toString('utf8');
  const { before, after, events } = splitEvents(text);
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (const e of events) {
    const m = TS_FIELD.exec(e);
    if (m && !METADATA.test(e)) {
      const ts = Number(m[3]);
      minTs = Math.min(minTs, ts);
      maxTs = Math.max(maxTs, ts);
    }
  }
  const stepUs = Math.ceil(maxTs - minTs) + GAP_US;
  const target = Number.isFinite(maxEvents) ? Infinity : sizeMb * 1e6;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const fd = fs.openSync(outFile, 'w');
  let written = 0;
  let pending = [];
  let pendingBytes = 0;
  const write = s => {
    pending.push(s);
    pendingBytes += s.length;
    if (pendingBytes >= WRITE_BYTES) {
      const buf = Buffer.from(pending.join(''), 'utf8');
      fs.writeSync(fd, buf);
      written += buf.length;
      pending = [];
      pendingBytes = 0;
    }
  };
  write(before);
  let first = true;
  let count = 0;
  for (let k = 0; written + pendingBytes < target && count < maxEvents; k++) {
    for (const e of events) {
      if (count >= maxEvents) {
        break;
      }
      if (k > 0 && METADATA.test(e)) {
        continue;
      }
      write((first ? '\n' : ',\n') + shifted(e, k, stepUs));
      first = false;
      count++;
    }
  }
  write('\n' + after);
  const buf = Buffer.from(pending.join(''), 'utf8');
  fs.writeSync(fd, buf);
  written += buf.length;
  fs.closeSync(fd);
  return { bytes: written, events: count };
}

module.exports = { makeLargeTrace, SOURCES };

if (require.main === module) {
  const args = process.argv.slice(2);
  const byEvents = args[1] === '--events';
  const [kind, size, out] = byEvents ? [args[0], args[2], args[3]] : args;
  if (!SOURCES[kind] || !(Number(size) > 0) || !out) {
    console.error(
      'usage: node bench/makeLargeTrace.js ascend|kineto SIZE_MB OUT_FILE\n' +
        '       node bench/makeLargeTrace.js ascend|kineto --events COUNT OUT_FILE'
    );
    process.exit(64);
  }
  const { bytes, events } = byEvents
    ? makeLargeTrace(kind, 0, out, Number(size))
    : makeLargeTrace(kind, Number(size), out);
  console.log(`${out}: ${bytes} bytes, ${events} events`);
}
