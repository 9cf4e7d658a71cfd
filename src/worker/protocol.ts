/**
 * Messages between the page and the analysis worker. Plain data only:
 * trace bytes go in as a transferred buffer, a small summary comes back, and
 * timeline marks come back as transferred typed-array columns.
 *
 * One worker serves either a one-shot analysis (`analyzeInWorker`: analyse,
 * answer, terminated) or a live session (`TraceSession`: analyse with
 * `keep`, then answer `marks` requests from the kept model until terminated).
 */
import type { IProfileSummary } from '../analysis/summary';
import type { IMarkColumns } from '../analysis/windowMarks';
import type { WorkKind } from '../trace/model';
import type { ICaptureContext } from './analyzeBytes';

/** Page → worker: analyse these bytes (plain or gzip). */
export interface IAnalyzeRequest {
  /** Absent in one-shot requests of older callers: same as 'analyze'. */
  type?: 'analyze';
  /** Request id, echoed in the reply. */
  id: number;
  /** The trace file's bytes; transferred, not copied. */
  buffer: ArrayBuffer;
  /** What the capture recorded beside the trace. */
  context: ICaptureContext;
  /**
   * Keep the trace model after answering, to serve {@link IMarksRequest}s
   * (a live session). Default false: the model is dropped with the reply.
   */
  keep?: boolean;
}

/** Page → worker: timeline marks of a visible window of the kept model. */
export interface IMarksRequest {
  type: 'marks';
  /** Request id, echoed in the reply. */
  id: number;
  /** Visible range, µs from the trace origin. */
  fromUs: number;
  /** End of the visible range, µs. */
  toUs: number;
  /** Buckets across the visible range (its width in pixels). */
  buckets: number;
  /** Most marks in the answer (default `DEFAULT_MARK_BUDGET`). */
  maxMarks?: number;
}

/** Any page → worker message. */
/**
 * Page → worker: a trace will arrive in chunks (a download in progress);
 * answered like {@link IAnalyzeRequest} once {@link IStreamEndRequest} came.
 */
export interface IStreamStartRequest {
  type: 'stream-start';
  /** Request id; the chunks and the end carry the same one. */
  id: number;
  /** What the capture recorded beside the trace. */
  context: ICaptureContext;
  /** Keep the model to serve marks requests (a live session). */
  keep?: boolean;
}

/** Page → worker: the next bytes of a streamed trace (transferred). */
export interface IStreamChunkRequest {
  type: 'stream-chunk';
  /** Id of the stream. */
  id: number;
  /** The bytes, as stored (gzip or plain). */
  buffer: ArrayBuffer;
}

/** Page → worker: the streamed trace is complete. */
export interface IStreamEndRequest {
  type: 'stream-end';
  /** Id of the stream. */
  id: number;
}

/** Every request the worker answers. */
export type WorkerRequest =
  | IAnalyzeRequest
  | IMarksRequest
  | IStreamStartRequest
  | IStreamChunkRequest
  | IStreamEndRequest;

/** Worker → page: the outcome of one analysis. */
export type AnalyzeReply =
  | {
      id: number;
      type: 'done';
      summary: IProfileSummary;
      /** Kinds of work drawn anywhere on the timeline (only with `keep`). */
      workKinds?: WorkKind[];
    }
  | { id: number; type: 'error'; kind: string; message: string };

/** Worker → page: the marks of one window, columns transferred. */
export interface IMarksReply {
  id: number;
  type: 'marks';
  columns: IMarkColumns;
}

/** Any worker → page message. */
export type WorkerReply = AnalyzeReply | IMarksReply;
