/**
 * Page side of the analysis worker: one worker per analysis, terminated when
 * it answers, so a huge trace's memory is returned to the browser at once.
 */
import type { IProfileSummary } from '../analysis/summary';
import type { ICaptureContext } from './analyzeBytes';
import type { AnalyzeReply, IAnalyzeRequest } from './protocol';

/** A failed analysis, with the reader's error kind. */
export class AnalysisError extends Error {
  /**
   * @param kind Error kind from the reader (`not-json`, `not-a-trace`, ...) or `internal`.
   * @param message Neutral statement of the facts.
   */
  constructor(
    readonly kind: string,
    message: string
  ) {
    super(message);
    this.name = 'AnalysisError';
  }
}

/**
 * Analyse trace bytes in a Web Worker. The buffer is transferred: the caller
 * must not use it afterwards.
 *
 * @param signal Optional: aborting it terminates the worker at once (a Cancel
 *   button) and rejects with an `aborted` AnalysisError.
 */
export function analyzeInWorker(
  buffer: ArrayBuffer,
  context: ICaptureContext = {},
  signal?: AbortSignal
): Promise<IProfileSummary> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AnalysisError('aborted', 'The analysis was cancelled.'));
      return;
    }
    const worker = new Worker(new URL('./analysisWorker.js', import.meta.url));
    const onAbort = () => {
      worker.terminate();
      reject(new AnalysisError('aborted', 'The analysis was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (event: MessageEvent<AnalyzeReply>) => {
      signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      const reply = event.data;
      if (reply.type === 'done') {
        resolve(reply.summary);
      } else {
        reject(new AnalysisError(reply.kind, reply.message));
      }
    };
    worker.onerror = event => {
      signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      reject(new AnalysisError('internal', event.message || 'The analysis worker failed.'));
    };
    const request: IAnalyzeRequest = { id: 0, buffer, context };
    worker.postMessage(request, [buffer]);
  });
}
