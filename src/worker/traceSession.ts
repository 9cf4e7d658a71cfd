/**
 * Page side of a live analysis worker: the worker analyses the trace once,
 * keeps its model, and answers "timeline marks of this window" while the
 * user zooms, until the session is disposed (which terminates the worker and
 * returns the trace's memory to the browser).
 *
 * For a one-shot analysis without zooming, `analyzeInWorker` is lighter.
 */
import type { IProfileSummary, ITimelineMark } from '../analysis/summary';
import { marksOfColumns } from '../analysis/windowMarks';
import type { WorkKind } from '../trace/model';
import type { ICaptureContext } from './analyzeBytes';
import { AnalysisError } from './analyzeInWorker';
import type {
  IAnalyzeRequest,
  IMarksRequest,
  IStreamChunkRequest,
  IStreamEndRequest,
  IStreamStartRequest,
  WorkerReply,
  WorkerRequest
} from './protocol';

/** The part of a `Worker` a session uses (a test can pass an in-process double). */
export interface ISessionWorker {
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  terminate(): void;
}

/** Options of {@link TraceSession.open}. */
export interface ITraceSessionOptions {
  /** Aborting it during the analysis terminates the worker and rejects with an `aborted` AnalysisError. */
  signal?: AbortSignal;
  /** Creates the worker; defaults to the bundled analysis worker. */
  createWorker?: () => ISessionWorker;
  /**
   * Whether the worker keeps the trace to answer {@link TraceSession.marks}
   * (default true). False when only the summary is wanted: the worker skips
   * the window index, and the caller disposes the session once it has it.
   */
  keep?: boolean;
}

/** Marks of one window (see `windowMarks`). */
export interface IWindowMarks {
  /** The marks, in lane then start order. */
  marks: ITimelineMark[];
  /** Start of the window they cover, µs (wider than the visible range asked for). */
  fromUs: number;
  /** End of that window, µs. */
  toUs: number;
  /** Their resolution, µs per bucket (a power of two). */
  bucketUs: number;
}

/** A trace analysed and kept in a worker, answering timeline window requests. */
export class TraceSession {
  /**
   * Analyse trace bytes in a new worker and keep the trace there. The buffer
   * is transferred: the caller must not use it afterwards.
   *
   * @throws AnalysisError (rejects) when the bytes are not a trace, the
   *   worker fails, or `options.signal` aborts.
   */
  static open(
    buffer: ArrayBuffer,
    context: ICaptureContext = {},
    options: ITraceSessionOptions = {}
  ): Promise<TraceSession> {
    return TraceSession._start(options, worker => {
      const request: IAnalyzeRequest = { type: 'analyze', id: 0, buffer, context, keep: options.keep ?? true };
      worker.postMessage(request, [buffer]);
    });
  }

  /**
   * Like {@link TraceSession.open}, for a trace that arrives in chunks (a
   * download in progress): each chunk goes to the worker as it comes and is
   * parsed there at once, so the page never holds the whole file and the
   * download and the parse overlap. Chunks are transferred.
   *
   * @throws AnalysisError (rejects) as {@link TraceSession.open} does; a
   *   failure of `chunks` itself is rethrown as it is.
   */
  static openStream(
    chunks: AsyncIterable<Uint8Array>,
    context: ICaptureContext = {},
    options: ITraceSessionOptions = {}
  ): Promise<TraceSession> {
    const id = 0;
    return TraceSession._start(options, (worker, fail) => {
      // Feed the worker; a failing source (network, cancel) ends the session too.
      void (async () => {
        const start: IStreamStartRequest = { type: 'stream-start', id, context, keep: options.keep ?? true };
        worker.postMessage(start, []);
        try {
          for await (const chunk of chunks) {
            // Transfer a buffer of exactly this chunk (a view may share a bigger one).
            const own =
              chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength
                ? (chunk.buffer as ArrayBuffer)
                : (chunk.slice().buffer as ArrayBuffer);
            const message: IStreamChunkRequest = { type: 'stream-chunk', id, buffer: own };
            worker.postMessage(message, [own]);
          }
          const end: IStreamEndRequest = { type: 'stream-end', id };
          worker.postMessage(end, []);
        } catch (reason) {
          fail(reason);
        }
      })();
    });
  }

  /**
   * Start a worker, let `send` give it the trace, and resolve with the session once the worker
   * answers with its summary; reject (and end the worker) on its error, its failure, `fail`, or
   * `options.signal` aborting.
   */
  private static _start(
    options: ITraceSessionOptions,
    send: (worker: ISessionWorker, fail: (reason: unknown) => void) => void
  ): Promise<TraceSession> {
    const { signal } = options;
    const aborted = () => new AnalysisError('aborted', 'The analysis was cancelled.');
    if (signal?.aborted) {
      return Promise.reject(aborted());
    }
    const worker = options.createWorker
      ? options.createWorker()
      : (new Worker(new URL('./analysisWorker.js', import.meta.url)) as ISessionWorker);
    return new Promise((resolve, reject) => {
      const fail = (reason: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        worker.terminate();
        reject(reason);
      };
      const onAbort = () => fail(aborted());
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.onmessage = event => {
        const reply = event.data;
        if (reply.type === 'done') {
          signal?.removeEventListener('abort', onAbort);
          resolve(new TraceSession(worker, reply.summary, reply.workKinds ?? []));
        } else if (reply.type === 'error') {
          fail(new AnalysisError(reply.kind, reply.message));
        }
      };
      worker.onerror = event => {
        fail(new AnalysisError('internal', event.message || 'The analysis worker failed.'));
      };
      send(worker, fail);
    });
  }

  private constructor(
    private readonly _worker: ISessionWorker,
    /** The profile summary, as `analyzeInWorker` would give it. */
    readonly summary: IProfileSummary,
    /**
     * Kinds of work the timeline can show at some zoom level, in `WORK_KINDS`
     * order: the overview marks may lack some (a merged mark takes its
     * longest slice's kind), so a legend that must not change while zooming
     * lists these.
     */
    readonly workKinds: WorkKind[]
  ) {
    _worker.onmessage = event => this._onReply(event.data);
    _worker.onerror = () => this.dispose();
  }

  /** Whether {@link dispose} ran (or the worker failed). */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Timeline marks of a visible range, covering a wider window (see
   * `windowMarks`). Only the newest request is answered: an earlier one
   * still in flight resolves to null when a newer one is made, and so does
   * every request after {@link dispose}.
   *
   * @param fromUs Visible range start, µs from the trace origin.
   * @param toUs Visible range end, µs.
   * @param buckets Width of the visible range in pixels.
   * @param maxMarks Most marks (default `DEFAULT_MARK_BUDGET`).
   * @throws AnalysisError (rejects) when the worker reports an error.
   */
  marks(
    fromUs: number,
    toUs: number,
    buckets: number,
    maxMarks?: number
  ): Promise<IWindowMarks | null> {
    if (this._disposed) {
      return Promise.resolve(null);
    }
    const id = ++this._generation;
    // A newer request supersedes the one in flight: its answer is dropped.
    this._pending?.resolve(null);
    return new Promise((resolve, reject) => {
      this._pending = { id, resolve, reject };
      const request: IMarksRequest = { type: 'marks', id, fromUs, toUs, buckets, maxMarks };
      this._worker.postMessage(request, []);
    });
  }

  /** Terminate the worker (frees the trace) and settle any pending request with null. */
  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._worker.terminate();
    this._pending?.resolve(null);
    this._pending = null;
  }

  private _onReply(reply: WorkerReply): void {
    const pending = this._pending;
    // Replies to superseded requests (lower generation) are dropped here.
    if (!pending || reply.id !== pending.id) {
      return;
    }
    this._pending = null;
    if (reply.type === 'marks') {
      const { columns } = reply;
      pending.resolve({
        marks: marksOfColumns(columns),
        fromUs: columns.fromUs,
        toUs: columns.toUs,
        bucketUs: columns.bucketUs
      });
    } else if (reply.type === 'error') {
      pending.reject(new AnalysisError(reply.kind, reply.message));
    }
  }

  private _disposed = false;
  private _generation = 0;
  private _pending: {
    id: number;
    resolve: (value: IWindowMarks | null) => void;
    reject: (reason: AnalysisError) => void;
  } | null = null;
}
