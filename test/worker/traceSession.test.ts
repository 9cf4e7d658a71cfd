import * as fs from 'node:fs';
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
    async bytes => new Uint8Array(zlib.gunzipSync(bytes))
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
