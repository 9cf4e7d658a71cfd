/**
 * The analysis worker's message handling, apart from the worker global so
 * tests can drive it in-process: analyse bytes, optionally keep the model
 * and its window index, and answer marks requests from it.
 *
 * Pure module (no DOM, no `@jupyterlab/*`): the worker must import only our
 * pure modules (jupyterlab-notes §3.7).
 */
import { summarize } from '../analysis/summarize';
import {
  buildLodIndex,
  markTransferList,
  windowMarks,
  type ILodIndex
} from '../analysis/windowMarks';
import { WORK_KINDS, type WorkKind } from '../trace/model';
import { readModel, readModelStream, type InflateStream } from './analyzeBytes';
import { ChunkQueue } from './chunkQueue';
import type { WorkerReply, WorkerRequest } from './protocol';

/** Posts a reply, with the buffers to transfer. */
export type PostReply = (reply: WorkerReply, transfer: ArrayBuffer[]) => void;

/**
 * A handler for the worker's `onmessage`: one per worker, holding at most
 * one kept trace.
 *
 * @param post Sends a reply to the page.
 * @param inflate Gzip inflater of the host (DecompressionStream in browsers).
 */
export function createSessionHost(
  post: PostReply,
  inflate: InflateStream
): (request: WorkerRequest) => Promise<void> {
  let index: ILodIndex | null = null;
  // Streams being received, by id: their chunks go to the reader as they come.
  const streams = new Map<number, ChunkQueue>();
  return async request => {
    const id = request.id;
    if (request.type === 'stream-chunk') {
      streams.get(id)?.push(new Uint8Array(request.buffer));
      return;
    }
    if (request.type === 'stream-end') {
      streams.get(id)?.end();
      streams.delete(id);
      return;
    }
    try {
      if (request.type === 'marks') {
        if (!index) {
          throw { kind: 'no-trace', message: 'No trace is loaded in this worker.' };
        }
        const columns = windowMarks(
          index,
          request.fromUs,
          request.toUs,
          request.buckets,
          request.maxMarks
        );
        post({ id, type: 'marks', columns }, markTransferList(columns));
        return;
      }
      let model;
      if (request.type === 'stream-start') {
        const queue = new ChunkQueue();
        streams.set(id, queue);
        model = await readModelStream(queue, inflate, request.context);
      } else {
        model = await readModel(new Uint8Array(request.buffer), inflate, request.context);
      }
      const summary = summarize(model);
      if (!request.keep) {
        post({ id, type: 'done', summary }, []);
        return;
      }
      index = buildLodIndex(model);
      post({ id, type: 'done', summary, workKinds: drawnKinds(index) }, []);
    } catch (error) {
      const e = error as { kind?: string; message?: string };
      post(
        {
          id,
          type: 'error',
          kind: typeof e?.kind === 'string' ? e.kind : 'internal',
          message: typeof e?.message === 'string' ? e.message : String(error)
        },
        []
      );
    }
  };
}

/** Kinds of work of the slices the timeline can show, so the legend can list them all up front. */
function drawnKinds(index: ILodIndex): WorkKind[] {
  const seen = new Uint8Array(WORK_KINDS.length);
  const { work } = index.model.slices;
  for (const lane of index.lanes) {
    for (let k = 0; k < lane.slices.length; k++) {
      seen[work[lane.slices[k]]] = 1;
    }
  }
  return WORK_KINDS.filter((_, w) => seen[w] === 1);
}
