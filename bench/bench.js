/**
 * Trace reader benchmark: `npm run bench` (builds lib-cli first).
 *
 *   node bench/bench.js            public traces + generated 100 MB traces
 *   node bench/bench.js --large    also 600 MB (over V8's string cap) and 1 GB
 *
 * For each file, each measurement runs in a fresh Node process so that its
 * peak RSS (`process.resourceUsage().maxRSS`, measured by the OS) is its own:
 *
 * - JSON.parse: `TextDecoder.decode` + `JSON.parse` of the whole file held in
 *   memory, the bare lower bound of any reader that builds JS objects;
 *   "n/a (string cap)" above 512 MiB, where V8 cannot hold the text.
 * - readTrace: our reader + model on the same bytes held in memory.
 * - readTraceStream: our reader fed 1 MiB chunks from the file (gzip
 *   inflated on the way), as the worker will; its peak RSS never includes
 *   the whole file.
 *
 * Generated traces go to .bench/ (git-ignored) and are reused.
 */
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.join(__dirname, '..');
const PUBLIC = path.join(ROOT, 'test', 'fixtures', 'public-traces');
const OUT = path.join(ROOT, '.bench');
/** V8's longest string (pointer-compressed builds), in UTF-16 units. */
const V8_MAX_STRING = 2 ** 29 - 24;
/** Chunk size of the streamed read, bytes. */
const STREAM_CHUNK_BYTES = 2 ** 20;
/** Sizes (MB) of the generated traces; --large adds the big ones. */
const DEFAULT_SIZES = [100];
const LARGE_SIZES = [600, 1000];
const MB = 1e6;

function publicTraces() {
  const found = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(p);
      } else if (/trace.*\.json(\.gz)?$|\.pt\.trace\.json(\.gz)?$|triton_example\.json\.gz$|control\.json\.gz$/.test(entry.name)) {
        found.push(p);
      }
    }
  };
  walk(PUBLIC);
  return found.sort();
}

function readPlain(file) {
  const raw = fs.readFileSync(file);
  return raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
}

/** One measurement, in this (child) process; prints one JSON line. */
async function child(method, file) {
  const reader = require(path.join(ROOT, 'lib-cli', 'trace', 'readTrace.js'));
  const result = { method };
  if (method === 'stream') {
    const gz = file.endsWith('.gz');
    const input = fs.createReadStream(file, { highWaterMark: STREAM_CHUNK_BYTES });
    const chunks = gz ? input.pipe(zlib.createGunzip({ chunkSize: STREAM_CHUNK_BYTES })) : input;
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    const model = await reader.readTraceStream(chunks, { onProgress: b => (bytes = b) });
    result.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    result.bytes = bytes;
    result.slices = model.slices.count;
    result.lanes = model.lanes.length;
  } else {
    const bytes = readPlain(file);
    result.bytes = bytes.length;
    if (method === 'json') {
      if (bytes.length > V8_MAX_STRING) {
        result.seconds = null;
      } else {
        const t0 = process.hrtime.bigint();
        const value = JSON.parse(new TextDecoder().decode(bytes));
        result.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        result.items = Array.isArray(value) ? value.length : value.traceEvents.length;
      }
    } else {
      const t0 = process.hrtime.bigint();
      const model = reader.readTrace(bytes);
      result.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      result.slices = model.slices.count;
    }
  }
  const mem = process.memoryUsage();
  result.peakRssMb = (process.resourceUsage().maxRSS * 1024) / MB; // maxRSS is in KiB
  result.heapUsedMb = mem.heapUsed / MB;
  result.arrayBuffersMb = mem.arrayBuffers / MB;
  console.log(JSON.stringify(result));
}

function measure(method, file) {
  const out = childProcess.execFileSync(
    process.execPath,
    ['--max-old-space-size=8192', __filename, '--child', method, file],
    { encoding: 'utf8', maxBuffer: 2 ** 20 }
  );
  return JSON.parse(out.trim().split('\n').pop());
}

function generated(sizes) {
  const { makeLargeTrace } = require('./makeLargeTrace');
  const files = [];
  for (const size of sizes) {
    for (const kind of ['ascend', 'kineto']) {
      const file = path.join(OUT, `${kind}-${size}MB.json`);
      if (!fs.existsSync(file)) {
        process.stderr.write(`generating ${path.relative(ROOT, file)}...\n`);
        makeLargeTrace(kind, size, file);
      }
      files.push(file);
    }
  }
  return files;
}

const fmt = (x, digits = 0) => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));

function main() {
  const large = process.argv.includes('--large');
  const files = [...publicTraces(), ...generated(large ? [...DEFAULT_SIZES, ...LARGE_SIZES] : DEFAULT_SIZES)];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`${cpu}, ${os.cpus().length} cores, Node ${process.version}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`);
  console.log('MB = 10^6 bytes of JSON text (inflated); MB/s = that / wall time; peak = max RSS of the process');
  console.log(
    ['file', 'MB', 'slices', 'JSON.parse MB/s', 'peak MB', 'readTrace MB/s', 'peak MB', 'stream MB/s', 'peak MB', 'peak/size', 'model heap MB']
      .join(' | ')
  );
  for (const file of files) {
    const json = measure('json', file);
    const buffer = measure('buffer', file);
    const stream = measure('stream', file);
    const mb = stream.bytes / MB;
    const rate = r => (r.seconds === null ? null : mb / r.seconds);
    console.log(
      [
        path.relative(file.startsWith(PUBLIC) ? PUBLIC : ROOT, file),
        fmt(mb, 1),
        stream.slices,
        json.seconds === null ? 'n/a (string cap)' : fmt(rate(json)),
        json.seconds === null ? 'n/a' : fmt(json.peakRssMb),
        fmt(rate(buffer)),
        fmt(buffer.peakRssMb),
        fmt(rate(stream)),
        fmt(stream.peakRssMb),
        fmt(stream.peakRssMb / mb, 2),
        fmt(stream.heapUsedMb)
      ].join(' | ')
    );
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch(error => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}
