/**
 * Reads a file through the kernel, for when the Jupyter server cannot serve it: the kernel's
 * folder is outside the server root, the user changed directory, or the kernel is remote (a
 * gateway), so `/files/` answers 404 although the kernel wrote the file.
 *
 * How (Jupyter messaging spec, "Execute",
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html#execute):
 * - every request is an `execute_request` with empty `code`, `silent: true` and
 *   `store_history: false`: nothing runs in the user's namespace, the execution counter does not
 *   move and nothing is published on IOPub. The data comes back in `user_expressions`, which the
 *   spec evaluates after the code and which ipykernel evaluates even when `silent` is true;
 *   results travel in the `execute_reply` on the shell channel, which the server does not
 *   rate-limit (IOPub is limited by `ServerApp.iopub_data_rate_limit`).
 * - the expressions are self-contained (`__import__`), so no helper is left in the user's
 *   namespace and a restarted kernel needs no set-up.
 * - each value is a Python `str` of base64 or digits only, so its `text/plain` repr (the
 *   `data['text/plain']` of the spec's user_expressions result) is that string in single quotes,
 *   with no escapes to undo.
 * - the file is read in chunks: one size request, then `seek`/`read` per chunk, so no single
 *   reply is big (see {@link DEFAULT_KERNEL_CHUNK_BYTES}), progress can be shown and a read can
 *   stop between chunks.
 *
 * Imports types only, so this module runs in Node tests against a stand-in kernel.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { JSONObject } from '@lumino/coreutils';
import type { IAnalysisError } from '../tokens';
import { joinChunks, type StreamProgress } from './traceFiles';

/**
 * Raw bytes asked for per request by default: 4 MiB, i.e. about 5.6 MB of base64 in one
 * `execute_reply`. Kept below 10 MiB per message because a remote kernel's replies pass through
 * jupyter_server's gateway client, whose tornado `websocket_connect` keeps tornado's default
 * `max_message_size` of 10 MiB (jupyter_server `gateway/connections.py`, tornado
 * `websocket.py` `_default_max_message_size`); a bigger reply closes that connection.
 */
export const DEFAULT_KERNEL_CHUNK_BYTES = 4 * 1024 * 1024;

/** Smallest chunk accepted, bytes; smaller ones only add round trips. */
export const MIN_KERNEL_CHUNK_BYTES = 64 * 1024;

/** Keys of the `user_expressions` this module sends. */
const SIZE_KEY = 'ascend_profiler_size';
const CHUNK_KEY = 'ascend_profiler_chunk';

/** Python exception names that mean the path does not name a readable file. */
const NOT_FOUND_ENAMES: readonly string[] = [
  'FileNotFoundError',
  'NotADirectoryError',
  'IsADirectoryError'
];

/** A failure to read a file through the kernel, with the facts attached. */
export class KernelFileError extends Error implements IAnalysisError {
  /**
   * @param kind `not-found` (the kernel sees no regular file at the path) or `kernel` (the
   *   kernel is gone, answered with an error, could not read the file, or gave an answer this
   *   module does not understand, e.g. it is not an IPython kernel).
   * @param message Neutral statement of what happened.
   * @param path The path, as the kernel sees it, that was asked for.
   */
  constructor(
    readonly kind: 'not-found' | 'kernel',
    message: string,
    readonly path: string
  ) {
    super(message);
    this.name = 'KernelFileError';
  }
}

/** Options of {@link readFileViaKernel}. */
export interface IKernelReadOptions {
  /** Called once the size is known (`loaded` 0) and after each chunk; `total` is the file size. */
  onProgress?: StreamProgress;
  /**
   * Stops the read: no further request is sent, and the promise rejects with the signal's
   * reason (an `AbortError` DOMException unless the caller gave one) without waiting for the
   * request in flight, whose reply is then ignored.
   */
  signal?: AbortSignal;
  /** Raw bytes per request; default {@link DEFAULT_KERNEL_CHUNK_BYTES}, at least {@link MIN_KERNEL_CHUNK_BYTES}. */
  chunkBytes?: number;
}

/** Size and modification time of a file, as the kernel sees it. */
export interface IKernelFileStat {
  /** Size in bytes. */
  size: number;
  /** Last modification, milliseconds since the Unix epoch. */
  mtimeMs: number;
}

/** One request of a chunked read: `length` bytes from byte `offset`. */
export interface IChunk {
  /** First byte, from the start of the file. */
  offset: number;
  /** Number of bytes. */
  length: number;
}

/**
 * Splits a file of `size` bytes into consecutive chunks of at most `chunkBytes` bytes.
 *
 * @throws RangeError when `size` is not a non-negative safe integer or `chunkBytes` is below
 *   {@link MIN_KERNEL_CHUNK_BYTES}.
 */
export function planChunks(size: number, chunkBytes: number = DEFAULT_KERNEL_CHUNK_BYTES): IChunk[] {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`size must be a non-negative integer, not ${size}`);
  }
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < MIN_KERNEL_CHUNK_BYTES) {
    throw new RangeError(`chunkBytes must be an integer of at least ${MIN_KERNEL_CHUNK_BYTES}, not ${chunkBytes}`);
  }
  const chunks: IChunk[] = [];
  for (let offset = 0; offset < size; offset += chunkBytes) {
    chunks.push({ offset, length: Math.min(chunkBytes, size - offset) });
  }
  return chunks;
}

/**
 * Turns a string into a Python string literal. JSON string syntax is a subset of Python's; lone
 * surrogates (from paths with undecodable bytes, which Python decodes with `surrogateescape`)
 * come out as `\udcXX` escapes, which Python maps back to the same bytes when opening the file.
 */
function pyString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The Python expression whose value is `"<size> <mtime_ms>"` for a regular file, `"-1 0"` for
 * anything else that exists (a folder, a device), and which raises (FileNotFoundError, ...) when
 * there is nothing at the path.
 */
export function statExpression(absPath: string): string {
  return (
    "(lambda s: '%d %d' % (s.st_size, s.st_mtime_ns // 1000000) " +
    "if __import__('stat').S_ISREG(s.st_mode) else '-1 0')" +
    `(__import__('os').stat(${pyString(absPath)}))`
  );
}

/**
 * The Python expression whose value is the base64 of `length` bytes from `offset` of the file
 * (fewer at its end). The file is opened, read and closed within the expression.
 */
export function chunkExpression(absPath: string, chunk: IChunk): string {
  return (
    "__import__('base64').b64encode((lambda f: (f.seek(" +
    `${chunk.offset}), f.read(${chunk.length}), f.close())[1])` +
    `(__import__('io').open(${pyString(absPath)}, 'rb'))).decode('ascii')`
  );
}

/**
 * The string value of one `user_expressions` result (spec: `{status: 'ok', data, metadata}` or
 * `{status: 'error', ename, evalue, traceback}`).
 *
 * @throws {KernelFileError} `not-found` for a missing file, `kernel` for any other error or an
 *   answer that is not a single-quoted string of `allowed` characters.
 */
export function parseExpressionResult(
  result: unknown,
  allowed: RegExp,
  path: string
): string {
  const value = result as
    | { status?: string; data?: Record<string, unknown>; ename?: string; evalue?: string }
    | undefined;
  if (!value || typeof value !== 'object') {
    throw new KernelFileError(
      'kernel',
      `The kernel returned no value for ${path}; it may not be an IPython kernel.`,
      path
    );
  }
  if (value.status === 'error') {
    const what = `${value.ename ?? 'Error'}: ${value.evalue ?? ''}`.trim();
    if (NOT_FOUND_ENAMES.includes(value.ename ?? '')) {
      throw new KernelFileError('not-found', `The kernel sees no file at ${path} (${what}).`, path);
    }
    throw new KernelFileError('kernel', `The kernel could not read ${path} (${what}).`, path);
  }
  const text = value.data?.['text/plain'];
  const match = typeof text === 'string' ? /^'(.*)'$/s.exec(text) : null;
  if (value.status !== 'ok' || !match || !allowed.test(match[1])) {
    throw new KernelFileError(
      'kernel',
      `The kernel answered for ${path} in an unexpected form; it may not be an IPython kernel.`,
      path
    );
  }
  return match[1];
}

/**
 * Decodes base64 into `target` from byte `offset`.
 *
 * @returns The number of bytes written.
 * @throws RangeError when the decoded bytes do not fit.
 */
export function decodeBase64Into(base64: string, target: Uint8Array, offset: number): number {
  // atob gives one char per byte (a "binary string"); copying it straight into the target
  // avoids a second full-size buffer per chunk.
  const binary = atob(base64);
  if (offset + binary.length > target.byteLength) {
    throw new RangeError(
      `${binary.length} bytes do not fit at offset ${offset} of ${target.byteLength}`
    );
  }
  for (let i = 0; i < binary.length; i++) {
    target[offset + i] = binary.charCodeAt(i);
  }
  return binary.length;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The read was aborted.', 'AbortError');
}

/**
 * Waits for `done`, or rejects with the signal's reason as soon as it aborts; the listener is
 * removed either way so a long read does not pile them up.
 */
function untilDoneOrAborted<T>(done: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return done;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    done.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      reason => {
        signal.removeEventListener('abort', onAbort);
        reject(reason);
      }
    );
  });
}

/**
 * Sends one silent execute_request whose `user_expressions` are `expressions` and returns the
 * reply's `user_expressions`.
 *
 * @throws {KernelFileError} `kernel` when the kernel is gone or the reply is not `ok`.
 * @throws The signal's reason when it aborts first; the request's reply is then ignored.
 */
async function evaluate(
  kernel: Kernel.IKernelConnection,
  expressions: Record<string, string>,
  path: string,
  signal: AbortSignal | undefined
): Promise<JSONObject> {
  if (signal?.aborted) {
    throw abortReason(signal);
  }
  if (kernel.isDisposed || kernel.status === 'dead') {
    throw new KernelFileError('kernel', `The kernel is not running, so ${path} could not be read.`, path);
  }
  let future: Kernel.IShellFuture<KernelMessage.IExecuteRequestMsg, KernelMessage.IExecuteReplyMsg>;
  try {
    future = kernel.requestExecute({
      code: '',
      silent: true,
      store_history: false,
      user_expressions: expressions,
      allow_stdin: false,
      // A failing request must not abort cells the user queued behind it.
      stop_on_error: false
    });
  } catch (reason) {
    throw new KernelFileError('kernel', `The kernel could not be asked for ${path}: ${String(reason)}`, path);
  }
  let reply: KernelMessage.IExecuteReplyMsg;
  try {
    reply = await untilDoneOrAborted(future.done, signal);
  } catch (reason) {
    if (signal?.aborted) {
      // The kernel still answers; disposing the future drops that reply.
      future.dispose();
      throw reason;
    }
    // future.done rejects when the kernel restarts or dies before replying.
    throw new KernelFileError(
      'kernel',
      `The kernel stopped before answering for ${path}: ${String(reason)}`,
      path
    );
  }
  const content = reply.content;
  if (content.status !== 'ok') {
    const detail = content.status === 'error' ? ` (${content.ename}: ${content.evalue})` : '';
    throw new KernelFileError(
      'kernel',
      `The kernel answered '${content.status}' when asked for ${path}${detail}.`,
      path
    );
  }
  return content.user_expressions ?? {};
}

/**
 * Size and modification time of a file as the kernel sees it, in one silent request.
 *
 * @param kernel A kernel connection (a notebook panel's `sessionContext.session.kernel`).
 * @param absPath Absolute path as the kernel sees it (the bundle's `trace_abs_path`).
 * @throws {KernelFileError} `not-found` when there is no regular file at `absPath`; `kernel`
 *   when the kernel cannot answer.
 */
export async function statViaKernel(
  kernel: Kernel.IKernelConnection,
  absPath: string
): Promise<IKernelFileStat> {
  return stat(kernel, absPath, undefined);
}

async function stat(
  kernel: Kernel.IKernelConnection,
  absPath: string,
  signal: AbortSignal | undefined
): Promise<IKernelFileStat> {
  const answers = await evaluate(kernel, { [SIZE_KEY]: statExpression(absPath) }, absPath, signal);
  const text = parseExpressionResult(answers[SIZE_KEY], /^-?\d+ \d+$/, absPath);
  const [size, mtimeMs] = text.split(' ').map(Number);
  if (size < 0) {
    throw new KernelFileError('not-found', `${absPath} is not a regular file in the kernel.`, absPath);
  }
  return { size, mtimeMs };
}

/**
 * Read a file through the kernel, in chunks of silent `execute_request`s (see the module
 * comment), as the chunks arrive: a reader can parse each one while the next is read, and the
 * page never holds the whole file.
 *
 * The size is asked first, before this resolves, so a missing file is reported at once. The file
 * is read as it is at each request: if it shrinks during the read, the iteration fails; bytes
 * appended after the size was asked are not read.
 *
 * @param kernel A kernel connection (a notebook panel's `sessionContext.session.kernel`).
 * @param absPath Absolute path as the kernel sees it (the bundle's `trace_abs_path`).
 * @param options Progress callback, abort signal, chunk size.
 * @returns The file's bytes, one chunk (at most `chunkBytes`) at a time.
 * @throws {KernelFileError} `not-found` when there is no regular file at `absPath`; `kernel`
 *   when the kernel is gone, fails, or the file changes during the read (the iteration throws).
 * @throws The signal's reason when `options.signal` aborts.
 */
export async function kernelFileChunks(
  kernel: Kernel.IKernelConnection,
  absPath: string,
  options: IKernelReadOptions = {}
): Promise<AsyncIterable<Uint8Array>> {
  const { onProgress, signal } = options;
  const chunkBytes = options.chunkBytes ?? DEFAULT_KERNEL_CHUNK_BYTES;
  // Refuse a bad chunk size before any request reaches the kernel.
  planChunks(0, chunkBytes);
  const { size } = await stat(kernel, absPath, signal);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    onProgress?.(0, size);
    let loaded = 0;
    for (const chunk of planChunks(size, chunkBytes)) {
      const answers = await evaluate(
        kernel,
        { [CHUNK_KEY]: chunkExpression(absPath, chunk) },
        absPath,
        signal
      );
      const base64 = parseExpressionResult(answers[CHUNK_KEY], /^[A-Za-z0-9+/]*={0,2}$/, absPath);
      const bytes = new Uint8Array(chunk.length);
      const written = decodeBase64Into(base64, bytes, 0);
      if (written !== chunk.length) {
        throw new KernelFileError(
          'kernel',
          `${absPath} changed while it was read through the kernel (${written} bytes at offset ${chunk.offset}, ${chunk.length} expected).`,
          absPath
        );
      }
      loaded += written;
      onProgress?.(loaded, size);
      yield bytes;
    }
  }
  return chunks();
}

/**
 * Read a whole file through the kernel as one buffer ({@link kernelFileChunks}, joined).
 *
 * @throws As {@link kernelFileChunks}.
 */
export async function readFileViaKernel(
  kernel: Kernel.IKernelConnection,
  absPath: string,
  options: IKernelReadOptions = {}
): Promise<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of await kernelFileChunks(kernel, absPath, options)) {
    parts.push(part);
    size += part.byteLength;
  }
  return joinChunks(parts, size).buffer as ArrayBuffer;
}

