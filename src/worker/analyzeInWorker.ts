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
 */
export function analyzeInWorker(
  buffer: ArrayBuffer,
  context: ICaptureContext = {}
): Promise<IProfileSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./analysisWorker.js', import.meta.url));
    worker.onmessage = (event: MessageEvent<AnalyzeReply>) => {
      worker.terminate();
      const reply = event.data;
      if (reply.type === 'done') {
        resolve(reply.summary);
      } else {
        reject(new AnalysisError(reply.kind, reply.message));
      }
    };
    worker.onerror = event => {
      worker.terminate();
      reject(new AnalysisError('internal', event.message || 'The analysis worker failed.'));
    };
    const request: IAnalyzeRequest = { id: 0, buffer, context };
    worker.postMessage(request, [buffer]);
  });
}
