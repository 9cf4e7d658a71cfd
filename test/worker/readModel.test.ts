import * as fs from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '../../src/trace/errors';
import { readTrace } from '../../src/trace/readTrace';
import { readModel, readModelStream } from '../../src/worker/analyzeBytes';
import { publicTrace } from '../publicTraces';

const CONTROL = 'hta/trace_diff/control/control.json.gz';

/** Inflate with zlib as the CLI does (an error on either side ends the iteration). */
async function* inflate(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const piece of pipeline(Readable.from(chunks), zlib.createGunzip(), () => undefined)) {
    yield piece as Buffer;
  }
}

/** The first `n` bytes of a real gzip trace: what an interrupted copy leaves. */
function cutGzip(n: number): Uint8Array {
  return new Uint8Array(fs.readFileSync(publicTrace(CONTROL)).subarray(0, n));
}

/** What zlib itself recovers from a cut gzip file (it flushes instead of failing at the cut). */
function recoverable(gz: Uint8Array): Uint8Array {
  return zlib.gunzipSync(gz, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

describe('readModel of gzip files', () => {
  it('reads an intact gzip file as its inflated text, with no note about the gzip data', async () => {
    const gz = new Uint8Array(fs.readFileSync(publicTrace(CONTROL)));
    const model = await readModel(gz, inflate);
    const expected = readTrace(zlib.gunzipSync(gz));
    expect(model.slices.count).toBe(expected.slices.count);
    expect(Array.from(model.slices.start)).toEqual(Array.from(expected.slices.start));
    expect(model.warnings.some(w => /gzip/.test(w))).toBe(false);
  });

  it('keeps every complete event of a gzip file cut off mid-way and says where its data stops', async () => {
    const gz = cutGzip(1_000_000); // of 2.4 MB: the text stops inside the event array
    const model = await readModel(gz, inflate);
    const text = recoverable(gz);
    const expected = readTrace(text);
    expect(model.slices.count).toBeGreaterThan(40_000);
    expect(model.slices.count).toBe(expected.slices.count);
    expect(Array.from(model.slices.dur)).toEqual(Array.from(expected.slices.dur));
    expect(model.warnings[0]).toBe(
      `The gzip data ends early or is damaged after ${(text.length / 1e6).toFixed(1)} MB of text; the events before that point were read.`
    );
    expect(model.warnings[1]).toMatch(/ended inside the event array/);
  });

  it('says a file that starts like gzip but holds no readable data is damaged', async () => {
    const bytes = new Uint8Array([0x1f, 0x8b, ...Buffer.from('not really gzip')]);
    const read = readModel(bytes, inflate);
    await expect(read).rejects.toBeInstanceOf(TraceFormatError);
    await expect(read).rejects.toThrow(/starts like gzip, but its compressed data is damaged/);
  });

  it('passes a failure of the download itself through instead of reading it as a cut file', async () => {
    const gz = cutGzip(200_000);
    async function* failingDownload(): AsyncGenerator<Uint8Array> {
      yield gz.subarray(0, 100_000);
      throw new Error('network connection lost');
    }
    await expect(readModelStream(failingDownload(), inflate)).rejects.toThrow('network connection lost');
  });
});
