/**
 * Web Worker entry: reads and analyses a trace off the UI thread.
 *
 * It imports only pure modules: a worker chunk that pulls in a shared
 * JupyterLab package fails to load (jupyterlab/jupyterlab#10197).
 */
import { analyzeBytes } from './analyzeBytes';
import type { AnalyzeReply, IAnalyzeRequest } from './protocol';

/** The part of the worker global scope we use (kept narrow to avoid the WebWorker lib clashing with DOM). */
interface IWorkerScope {
  onmessage: ((event: MessageEvent<IAnalyzeRequest>) => void) | null;
  postMessage(message: AnalyzeReply): void;
}

const scope = self as unknown as IWorkerScope;

scope.onmessage = event => {
  const { id, buffer, context } = event.data;
  analyzeBytes(new Uint8Array(buffer), Private.gunzip, context).then(
    summary => scope.postMessage({ id, type: 'done', summary }),
    (error: unknown) => {
      const e = error as { kind?: string; message?: string };
      scope.postMessage({
        id,
        type: 'error',
        kind: typeof e?.kind === 'string' ? e.kind : 'internal',
        message: typeof e?.message === 'string' ? e.message : String(error)
      });
    }
  );
};

namespace Private {
  /** Gunzip with the browser's native DecompressionStream. */
  export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
    const stream = new Blob([bytes as BlobPart])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
}
