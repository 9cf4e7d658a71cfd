/**
 * Browser benchmark of the timeline: `npm run bench:browser`.
 *
 *   node bench/browser/run.js [--sizes 10000,100000,1000000,5000000]
 *
 * 1. Generates Ascend traces of each event count with bench/makeLargeTrace.js
 *    into the git-ignored .bench/ (reused when present).
 * 2. Bundles the benchmark page (bench/browser/page.ts: TraceSession,
 *    timelineSpec, attachZoomDetail, vega-embed) and the analysis worker
 *    (src/worker/analysisWorker.ts) with rolldown into .bench/browser/.
 * 3. Serves them with a tiny static server on localhost and drives the
 *    system Chromium through playwright-core (no browser download): a fresh
 *    page per trace, which fetches the file and runs `window.bench(url)`.
 * 4. Prints a markdown table for docs/benchmarks.md.
 *
 * Environment: CHROMIUM (default /usr/bin/chromium), and playwright-core as
 * installed for the UI tests (ui-tests/node_modules) or at the top level.
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { makeLargeTrace } = require('../makeLargeTrace');

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, '.bench', 'browser');
const TRACES = path.join(ROOT, '.bench');
/** Event counts of the generated traces. */
const DEFAULT_SIZES = [10_000, 100_000, 1_000_000, 5_000_000];
/** Longest a single trace's run may take in the page, ms (5M events parse in ~15 s on 2 cores). */
const PAGE_TIMEOUT_MS = 10 * 60 * 1000;
/** Chromium flags: headless in a container, no background traffic. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
];

function loadPlaywright() {
  for (const where of [path.join(ROOT, 'ui-tests', 'node_modules', 'playwright-core'), 'playwright-core']) {
    try {
      return require(where);
    } catch {
      // try the next place
    }
  }
  throw new Error('playwright-core not found: run `npm ci` in ui-tests/ first');
}

async function bundle() {
  const { build } = await import('rolldown');
  fs.mkdirSync(OUT, { recursive: true });
  const common = {
    platform: 'browser',
    // TraceSession's default worker URL uses import.meta, which an iife has
    // not; the page passes createWorker instead, so that branch never runs.
    onLog(level, log, handler) {
      if (log.code !== 'EMPTY_IMPORT_META') {
        handler(level, log);
      }
    }
  };
  await build({
    ...common,
    input: path.join(ROOT, 'src', 'worker', 'analysisWorker.ts'),
    output: { file: path.join(OUT, 'analysisWorker.js'), format: 'iife', minify: true }
  });
  await build({
    ...common,
    input: path.join(__dirname, 'page.ts'),
    output: { file: path.join(OUT, 'page.js'), format: 'iife', minify: true }
  });
  fs.writeFileSync(
    path.join(OUT, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>timeline bench</title><body></body><script src="page.js"></script>\n'
  );
}

function traceFile(events) {
  const file = path.join(TRACES, `ascend-${events}ev.json`);
  if (!fs.existsSync(file)) {
    const t = Date.now();
    const { bytes } = makeLargeTrace('ascend', 0, file, events);
    console.error(`generated ${path.basename(file)}: ${(bytes / 1e6).toFixed(1)} MB in ${Date.now() - t} ms`);
  }
  return file;
}

function serve() {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = name.startsWith('trace/')
      ? path.join(TRACES, path.basename(name))
      : path.join(OUT, path.basename(name));
    fs.stat(file, (error, stat) => {
      if (error) {
        res.writeHead(404).end();
        return;
      }
      const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'application/json';
      res.writeHead(200, { 'content-type': type, 'content-length': stat.size });
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const ms = x => (x < 10 ? x.toFixed(1) : Math.round(x).toString());

async function main() {
  const argSizes = process.argv.indexOf('--sizes');
  const sizes = argSizes > 0 ? process.argv[argSizes + 1].split(',').map(Number) : DEFAULT_SIZES;
  const files = sizes.map(traceFile);
  await bundle();
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS
  });
  const results = [];
  try {
    for (const [k, file] of files.entries()) {
      const page = await browser.newPage();
      page.setDefaultTimeout(PAGE_TIMEOUT_MS);
      page.on('pageerror', e => console.error('page error:', e.message));
      await page.goto(base);
      const r = await page.evaluate(url => window.bench(url), `trace/${path.basename(file)}`);
      r.generatedEvents = sizes[k];
      results.push(r);
      console.error(JSON.stringify(r));
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const version = require('node:child_process').execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  console.log(`Machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM; ${version}; headless, software raster; chart ${1200} px wide.\n`);
  console.log('| events | MB | slices | lanes | fetch ms | analysis ms | first paint ms | overview marks | zoom to | frame ms | detail ms | of which worker ms | detail marks | real slices |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    r.zooms.forEach((z, i) => {
      const head = i === 0
        ? [r.generatedEvents.toLocaleString('en'), (r.bytes / 1e6).toFixed(1), r.events.toLocaleString('en'), r.lanes, ms(r.fetchMs), ms(r.analysisMs), ms(r.firstPaintMs), r.overviewMarks]
        : ['', '', '', '', '', '', '', ''];
      console.log(`| ${[...head, `${z.share * 100}%`, ms(z.frameMs), ms(z.detailMs), ms(z.workerMs), z.marks, z.realSlices ? 'yes' : 'no'].join(' | ')} |`);
    });
  }
  console.log('\nPan by a fifth of the view after the last zoom (no request expected):');
  for (const r of results) {
    console.log(`- ${r.generatedEvents.toLocaleString('en')} events: ${ms(r.panMs)} ms, new request: ${r.panRequested ? 'yes' : 'no'}; JS heap after: ${Math.round(r.heapMb)} MB`);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
