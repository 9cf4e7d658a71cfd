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
  /** Inflate a gzip stream chunk by chunk with DecompressionStream. */
  export async function* inflate(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const iterator = chunks[Symbol.asyncIterator]();
    const source = new ReadableStream<BufferSource>({
      async pull(controller) {
        const r = await iterator.next();
        if (r.done) {
          controller.close();
        } else {
          controller.enqueue(r.value as Uint8Array<ArrayBuffer>);
        }
      }
    });
    const reader = source
      .pipeThrough(new DecompressionStream('gzip'))
      .getReader() as ReadableStreamDefaultReader<Uint8Array>;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      yield value;
    }
  }
}

const handle = createSessionHost(
  (reply, transfer) => scope.postMessage(reply, transfer),
  Private.inflate
);

scope.onmessage = event => {
  void handle(event.data);
};
