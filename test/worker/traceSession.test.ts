import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/analysis/summarize';
import { readTrace } from '../../src/trace/readTrace';
import { AnalysisError } from '../../src/worker/analyzeInWorker';
import type { WorkerReply, WorkerRequest } from '../../src/worker/protocol';
import { createSessionHost } from '../../src/worker/sessionHost';
import { TraceSession, type ISessionWorker } from '../../src/worker/traceSession';
import { publicTrace } from '../publicTraces';

const LEVEL1 =
  'ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz';

/**
 * A worker double that runs the real worker handler in-process, with
 * messages cloned (and buffers transferred) as postMessage would.
 */
class InProcessWorker implements ISessionWorker {
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  requests: WorkerRequest[] = [];
  transferred: ArrayBuffer[] = [];

  private _handle = createSessionHost(
    (reply, transfer) => {
      this.transferred.push(...transfer);
      const data = structuredClone(reply, { transfer });
      setTimeout(() => {
        if (!this.terminated) {
          this.onmessage?.({ data } as MessageEvent<WorkerReply>);
        }
      });
    },
    // Streaming inflate, as the browser worker does with DecompressionStream.
    async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const piece of Readable.from(chunks).pipe(zlib.createGunzip())) {
        yield new Uint8Array(piece as Buffer);
      }
    }
  );

  postMessage(message: WorkerRequest, transfer: Transferable[]): void {
    const data = structuredClone(message, { transfer: transfer as ArrayBuffer[] });
    this.requests.push(data);
    setTimeout(() => void this._handle(data));
  }

  terminate(): void {
    this.terminated = true;
  }
}

function traceBuffer(): ArrayBuffer {
  const bytes = fs.readFileSync(publicTrace(LEVEL1));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function open(): Promise<{ session: TraceSession; worker: InProcessWorker }> {
  const worker = new InProcessWorker();
  const session = await TraceSession.open(traceBuffer(), {}, { createWorker: () => worker });
  return { session, worker };
}

describe('TraceSession', () => {
  it('gives the same summary as a one-shot analysis, and the kinds of work it can draw', async () => {
    const { session } = await open();
    const expected = summarize(readTrace(zlib.gunzipSync(fs.readFileSync(publicTrace(LEVEL1)))));
    expect(session.summary).toEqual(expected);
    expect(session.workKinds).toContain('kernel');
    expect(session.workKinds).not.toContain('step');
    session.dispose();
  });

  it('answers a zoomed window with real slices, sent as transferred columns', async () => {
    const { session, worker } = await open();
    const span = session.summary.spanUs;
    const from = span * 0.5;
    const answer = await session.marks(from, from + 200, 800);
    expect(answer).not.toBeNull();
    expect(answer!.fromUs).toBeLessThanOrEqual(from);
    expect(answer!.toUs).toBeGreaterThanOrEqual(from + 200);
    expect(answer!.marks.length).toBeGreaterThan(0);
    expect(answer!.marks.every(m => m.count === 1)).toBe(true);
    expect(answer!.marks.every(m => m.end >= answer!.fromUs && m.start <= answer!.toUs)).toBe(true);
    expect(worker.transferred.length).toBeGreaterThanOrEqual(7);
    session.dispose();
  });

  it('drops the answer of a request overtaken by a newer one', async () => {
    const { session } = await open();
    const span = session.summary.spanUs;
    const first = session.marks(0, span, 800);
    const second = session.marks(0, span / 2, 800);
    expect(await first).toBeNull();
    expect(await second).not.toBeNull();
    session.dispose();
  });

  it('terminates its worker on dispose and answers nothing after', async () => {
    const { session, worker } = await open();
    const pending = session.marks(0, 1000, 800);
    session.dispose();
    expect(worker.terminated).toBe(true);
    expect(await pending).toBeNull();
    expect(await session.marks(0, 1000, 800)).toBeNull();
    expect(session.isDisposed).toBe(true);
  });

  it('rejects bytes that are not a trace with the reader error kind, and ends the worker', async () => {
    const worker = new InProcessWorker();
    const bytes = new TextEncoder().encode('{"hello": "world"}');
    const error = await TraceSession.open(bytes.buffer as ArrayBuffer, {}, {
      createWorker: () => worker
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisError);
    expect((error as AnalysisError).kind).not.toBe('internal');
    expect(worker.terminated).toBe(true);
  });
});

/** The file's bytes in chunks of `size`, as a download delivers them. */
async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < bytes.length; off += size) {
    yield bytes.slice(off, off + size);
  }
}

describe('TraceSession.openStream', () => {
  it.each([
    ['a gzip Ascend trace', LEVEL1],
    ['a plain Kineto trace', 'param-et-replay/dlrm_kineto/worker0_step_12.1694128201545.pt.trace.json']
  ])('gives the same profile for %s in 7 KB chunks as for the whole file', async (_, file) => {
    const bytes = new Uint8Array(fs.readFileSync(publicTrace(file)));
    const whole = await TraceSession.open(bytes.slice().buffer, {}, {
      createWorker: () => new InProcessWorker()
    });
    const streamed = await TraceSession.openStream(chunksOf(bytes, 7 * 1024), {}, {
      createWorker: () => new InProcessWorker()
    });
    expect(JSON.stringify(streamed.summary)).toBe(JSON.stringify(whole.summary));
    // The live session answers zoom requests like one opened from a buffer.
    const marks = await streamed.marks(0, streamed.summary.spanUs / 10, 400);
    expect(marks?.marks.length).toBeGreaterThan(0);
    whole.dispose();
    streamed.dispose();
  });

  it('gives only the summary when asked not to keep the trace', async () => {
    const bytes = new Uint8Array(fs.readFileSync(publicTrace(LEVEL1)));
    const worker = new InProcessWorker();
    const summaryOnly = await TraceSession.openStream(chunksOf(bytes, 64 * 1024), {}, {
      createWorker: () => worker,
      keep: false
    });
    const expected = summarize(readTrace(zlib.gunzipSync(fs.readFileSync(publicTrace(LEVEL1)))));
    expect(summaryOnly.summary).toEqual(expected);
    expect(worker.requests[0]).toMatchObject({ type: 'stream-start', keep: false });
    // No window index was built: the worker names no kinds of work to draw.
    expect(summaryOnly.workKinds).toEqual([]);
    summaryOnly.dispose();
    expect(worker.terminated).toBe(true);
  });

  it('fails with the reason when the download fails half way, and stops the worker', async () => {
    const worker = new InProcessWorker();
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('{"traceEvents": [');
      throw new Error('connection reset');
    }
    await expect(
      TraceSession.openStream(broken(), {}, { createWorker: () => worker })
    ).rejects.toThrow('connection reset');
    expect(worker.terminated).toBe(true);
  });
});
