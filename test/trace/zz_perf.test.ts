import { it } from 'vitest';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { readTrace } from '../../src/trace/readTrace';
import { quoteBigNumbers } from '../../src/trace/quoteBigNumbers';
it('perf', () => {
  for (const f of ['hta/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz','hta/trace_diff/control/control.json.gz']) {
    const b = zlib.gunzipSync(fs.readFileSync('test/fixtures/public-traces/' + f));
    for (let r = 0; r < 3; r++) {
      let t = performance.now();
      const text = new TextDecoder().decode(b); const tDec = performance.now() - t; t = performance.now();
      const q = quoteBigNumbers(text); const tQ = performance.now() - t; t = performance.now();
      JSON.parse(q); const tP = performance.now() - t; t = performance.now();
      JSON.parse(text); const tP0 = performance.now() - t; t = performance.now();
      readTrace(b); const tR = performance.now() - t;
      console.log(f.slice(0, 20), 'dec', tDec.toFixed(0), 'quote', tQ.toFixed(0), 'parseQ', tP.toFixed(0), 'parse', tP0.toFixed(0), 'read', tR.toFixed(0));
    }
  }
});
