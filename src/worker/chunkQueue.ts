/**
 * A queue of byte chunks that is also an async iterable: the worker pushes
 * chunks as the page posts them, and the trace reader pulls them, so a file
 * is parsed while it is still downloading and never held whole.
 *
 * Pure module.
 */

/** Chunks pushed by one side and iterated once by the other. */
export class ChunkQueue implements AsyncIterable<Uint8Array> {
  /** Add the next chunk. Ignored after {@link end} or {@link fail}. */
  push(chunk: Uint8Array): void {
    if (this._closed) {
      return;
    }
    const waiter = this._waiters.shift();
    if (waiter) {
      waiter.resolve({ value: chunk, done: false });
    } else {
      this._chunks.push(chunk);
    }
  }

  /** No more chunks: the iteration ends once the queued ones are read. */
  end(): void {
    this._closed = true;
    for (const waiter of this._waiters.splice(0)) {
      waiter.resolve({ value: undefined, done: true });
    }
  }

  /** Make the iteration throw `error` (after the queued chunks). */
  fail(error: unknown): void {
    this._error = error;
    this._closed = true;
    for (const waiter of this._waiters.splice(0)) {
      waiter.reject(error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => {
        const chunk = this._chunks.shift();
        if (chunk) {
          return Promise.resolve({ value: chunk, done: false });
        }
        if (this._error !== undefined) {
          return Promise.reject(this._error);
        }
        if (this._closed) {
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => this._waiters.push({ resolve, reject }));
      }
    };
  }

  private _chunks: Uint8Array[] = [];
  private _waiters: {
    resolve: (r: IteratorResult<Uint8Array>) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private _closed = false;
  private _error: unknown = undefined;
}
