/**
 * Messages between the page and the analysis worker. Plain data only:
 * trace bytes go in as a transferred buffer, a small summary comes back.
 */
import type { IProfileSummary } from '../analysis/summary';
import type { ICaptureContext } from './analyzeBytes';

/** Page → worker: analyse these bytes (plain or gzip). */
export interface IAnalyzeRequest {
  /** Request id, echoed in the reply. */
  id: number;
  /** The trace file's bytes; transferred, not copied. */
  buffer: ArrayBuffer;
  /** What the capture recorded beside the trace. */
  context: ICaptureContext;
}

/** Worker → page: the outcome of one request. */
export type AnalyzeReply =
  | { id: number; type: 'done'; summary: IProfileSummary }
  | { id: number; type: 'error'; kind: string; message: string };
