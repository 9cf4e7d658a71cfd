/**
 * Web Worker entry: reads and analyses a trace off the UI thread, and, for
 * a live session, keeps it to answer timeline marks requests (see
 * `sessionHost.ts` and `protocol.ts`).
 *
 * It imports only pure modules: a worker chunk that pulls in a shared
 * JupyterLab package fails to load (jupyterlab/jupyterlab#10197).
 */
import type { WorkerReply, WorkerRequest } from './protocol';
import { createSessionHost } from './sessionHost';

/** The part of the worker global scope we use (kept narrow to avoid the WebWorker lib clashing with DOM). */
interface IWorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
}

const scope = self as unknown as IWorkerScope;

namespace Private {
  /** Gunzip with the browser's native DecompressionStream. */
  export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
    const stream = new Blob([bytes as BlobPart])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
}

const handle = createSessionHost(
  (reply, transfer) => scope.postMessage(reply, transfer),
  Private.gunzip
);

scope.onmessage = event => {
  void handle(event.data);
};
