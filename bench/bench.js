/**
 * Trace reader benchmark: `npm run bench` (builds lib-cli first).
 *
 *   node bench/bench.js              public traces + generated 100 MB traces
 *   node bench/bench.js --large      also 600 MB (over V8's string cap) and 1 GB
 *   node bench/bench.js --only TEXT  only the files whose path holds TEXT
 *
 * For each file, each measurement runs in a fresh Node process so that its
 * peak RSS (`process.resourceUsage().maxRSS`, measured by the OS) is its own.
 * Speeds are given as "first / warm": the first read in the fresh process
 * (cold: what a new analysis worker does, compiling as it goes), then the
 * best of the later reads in the same process (up to four more for files
 * under 32 MB, one for larger ones; none above 400 MB):
 *
 * - JSON.parse: `TextDecoder.decode` + `JSON.parse` of the whole file held in
 *   memory, the bare lower bound of any reader that builds JS objects;
 *   "n/a (string cap)" above 512 MiB, where V8 cannot hold the text.
 * - readTrace: our reader + model on the same bytes held in memory.
 * - readTraceStream: our reader fed 1 MiB chunks from the file (gzip
 *   inflated on the way), as the worker will; its peak RSS never includes
 *   the whole file.
 * - analysis: readTrace, then `summarize` of its model (the checklist, the
 *   timeline's marks, the breakdowns): what the worker does before the view
 *   can show anything. Printed as milliseconds in a second table.
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
/** Files smaller than this (inflated) are read {@link WARM_RUNS} times per process. */
const WARM_RUN_BYTES = 32 * MB;
/** Reads of a small file per process: the first one cold, the best of the others warm. */
const WARM_RUNS = 5;

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

/** Files up to this size (inflated) are also analysed (read + summary); above it, read only. */
const ANALYSIS_MAX_BYTES = 400 * MB;

/** Reads per process: the first (cold), then warm ones, fewer for big files. */
function runsFor(bytes) {
  if (bytes < WARM_RUN_BYTES) {
    return WARM_RUNS;
  }
  return bytes < 400 * MB ? 2 : 1;
}

/**
 * The process's peak RSS after its first read: later reads would count the
 * previous model too, until the collector frees it.
 */
function notePeak(result, startRssMb) {
  if (result.peakRssMb === undefined) {
    result.peakRssMb = (process.resourceUsage().maxRSS * 1024) / MB; // maxRSS is in KiB
    result.netPeakMb = result.peakRssMb - startRssMb;
  }
}

/** One measurement, in this (child) process; prints one JSON line. */
async function child(method, file) {
  const reader = require(path.join(ROOT, 'lib-cli', 'trace', 'readTrace.js'));
  const { summarize } = require(path.join(ROOT, 'lib-cli', 'analysis', 'summarize.js'));
  const startRssMb = (process.resourceUsage().maxRSS * 1024) / MB;
  const result = { method, seconds: [] };
  const plain = method === 'stream' ? null : readPlain(file);
  const runs = runsFor(plain === null ? fs.statSync(file).size : plain.length);
  for (let run = 0; run < runs; run++) {
    if (method === 'stream') {
      const gz = file.endsWith('.gz');
      const input = fs.createReadStream(file, { highWaterMark: STREAM_CHUNK_BYTES });
      const chunks = gz ? input.pipe(zlib.createGunzip({ chunkSize: STREAM_CHUNK_BYTES })) : input;
      const t0 = process.hrtime.bigint();
      let bytes = 0;
      const model = await reader.readTraceStream(chunks, { onProgress: b => (bytes = b) });
      result.seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
      result.bytes = bytes;
      result.slices = model.slices.count;
      notePeak(result, startRssMb);
    } else {
      result.bytes = plain.length;
      if (method === 'json' && plain.length > V8_MAX_STRING) {
        result.seconds = null;
        break;
      }
      const t0 = process.hrtime.bigint();
      if (method === 'json') {
        JSON.parse(new TextDecoder().decode(plain));
      } else if (method === 'analysis') {
        const model = reader.readTrace(plain);
        const t1 = process.hrtime.bigint();
        summarize(model);
        (result.summarySeconds ??= []).push(Number(process.hrtime.bigint() - t1) / 1e9);
      } else {
        result.slices = reader.readTrace(plain).slices.count;
      }
      result.seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
      notePeak(result, startRssMb);
    }
  }
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
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
  const files = [...publicTraces(), ...generated(large ? [...DEFAULT_SIZES, ...LARGE_SIZES] : DEFAULT_SIZES)].filter(
    file => only === null || file.includes(only)
  );
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`${cpu}, ${os.cpus().length} cores, Node ${process.version}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`);
  console.log('MB = 10^6 bytes of JSON text (inflated); MB/s = that / wall time; peak = max RSS of the measuring process after its first read (Node alone: ~45 MB)');
  console.log(
    'MB/s as first / warm: the first read in a fresh process (what a new analysis worker does), then the best later read in it (none: read once)'
  );
  console.log(
    '| file | MB | slices | JSON.parse MB/s | readTrace MB/s | readTrace ÷ JSON.parse | JSON.parse peak MB | readTrace peak MB | readTraceStream MB/s | its peak MB | stream peak − start / size |'
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const analysisRows = [];
  for (const file of files) {
    const json = measure('json', file);
    const buffer = measure('buffer', file);
    const stream = measure('stream', file);
    const mb = stream.bytes / MB;
    const rates = r => {
      if (r.seconds === null) {
        return null;
      }
      const [first, ...later] = r.seconds;
      return { first: mb / first, warm: later.length > 0 ? mb / Math.min(...later) : null };
    };
    const pair = (a, b, digits = 0) => `${fmt(a, digits)} / ${fmt(b, digits)}`;
    const jsonRate = rates(json);
    const ours = rates(buffer);
    const streamed = rates(stream);
    const ratio = (a, b) => (a === null || b === null ? null : a / b);
    const cells = [
      path.relative(file.startsWith(PUBLIC) ? PUBLIC : ROOT, file),
      fmt(mb, 1),
      stream.slices,
      jsonRate === null ? 'n/a (string cap)' : pair(jsonRate.first, jsonRate.warm),
      pair(ours.first, ours.warm),
      jsonRate === null ? '–' : pair(ratio(ours.first, jsonRate.first), ratio(ours.warm, jsonRate.warm), 2),
      json.seconds === null ? 'n/a' : fmt(json.peakRssMb),
      fmt(buffer.peakRssMb),
      pair(streamed.first, streamed.warm),
      fmt(stream.peakRssMb),
      mb >= 10 ? fmt(stream.netPeakMb / mb, 2) : '–'
    ];
    console.log('| ' + cells.join(' | ') + ' |');
    if (stream.bytes <= ANALYSIS_MAX_BYTES) {
      const analysis = measure('analysis', file);
      const ms = seconds => seconds.map(x => x * 1e3);
      const total = ms(analysis.seconds);
      const summary = ms(analysis.summarySeconds);
      const read = total.map((t, k) => t - summary[k]);
      const firstWarm = list =>
        `${fmt(list[0], 1)} / ${list.length > 1 ? fmt(Math.min(...list.slice(1)), 1) : 'n/a'}`;
      analysisRows.push(
        `| ${cells[0]} | ${cells[1]} | ${firstWarm(read)} | ${firstWarm(summary)} | ${firstWarm(total)} |`
      );
    }
  }
  console.log('');
  console.log('Analysis (readTrace, then summarize: the worker\'s work before the view shows), ms as first / warm (best later run):');
  console.log('| file | MB | read ms | summary ms | analysis ms |');
  console.log('|---|---:|---:|---:|---:|');
  analysisRows.forEach(row => console.log(row));
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch(error => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}
