/**
 * The one place that reads trace files from the Jupyter server.
 *
 * Traces are fetched as raw bytes from the `/files/` endpoint rather than
 * through the Contents API: the Contents API wraps the whole file in one
 * JSON string, which is slower and hits the browser's string-length cap on
 * big traces (shared/docs/performance.md §5 item 7).
 */
import { type Contents, ServerConnection } from '@jupyterlab/services';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { IAnalysisError } from '../tokens';
import type { IFolderEntry } from '../trace/locateTrace';

/** A failure to read a trace file, with the facts attached. */
export class TraceFileError extends Error implements IAnalysisError {
  /**
   * @param kind `not-found` (the server answered 404) or `network` (anything else).
   * @param message Neutral statement of what happened.
   * @param path The server path that was asked for.
   */
  constructor(
    readonly kind: 'not-found' | 'network',
    message: string,
    readonly path: string
  ) {
    super(message);
    this.name = 'TraceFileError';
  }
}

/**
 * Read the bytes of a trace file named relative to the document that shows it.
 *
 * @param resolver The document's URL resolver (notebook outputs get the notebook's).
 * @param path Path relative to the document's folder, posix separators.
 * @throws {TraceFileError} when the server does not return the file.
 */
export async function readTraceFile(
  resolver: IRenderMime.IResolver,
  path: string
): Promise<ArrayBuffer> {
  const serverPath = await resolver.resolveUrl(path);
  const url = await resolver.getDownloadUrl(serverPath);
  const settings = ServerConnection.makeSettings();
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, {}, settings);
  } catch (reason) {
    throw new TraceFileError(
      'network',
      `The server could not be reached for ${serverPath}: ${String(reason)}`,
      serverPath
    );
  }
  if (response.status === 404) {
    throw new TraceFileError(
      'not-found',
      `The file ${serverPath} does not exist on the server.`,
      serverPath
    );
  }
  if (!response.ok) {
    throw new TraceFileError(
      'network',
      `The server answered ${response.status} ${response.statusText} for ${serverPath}.`,
      serverPath
    );
  }
  return response.arrayBuffer();
}

/** Called while a file streams in: bytes so far, and the total when known. */
export type StreamProgress = (loaded: number, total: number | null) => void;

/**
 * List a folder through the Contents API (metadata only, no file content).
 *
 * @param contents The app's contents manager.
 * @param path Server path of the folder.
 * @throws {TraceFileError} when the server does not list the folder.
 */
export async function listServerFolder(
  contents: Contents.IManager,
  path: string
): Promise<IFolderEntry[]> {
  let model: Contents.IModel;
  try {
    model = await contents.get(path, { type: 'directory', content: true });
  } catch (reason) {
    const status = (reason as ServerConnection.ResponseError).response?.status;
    throw new TraceFileError(
      status === 404 ? 'not-found' : 'network',
      status === 404
        ? `The folder ${path} does not exist on the server.`
        : `The folder ${path} could not be listed: ${String(reason)}`,
      path
    );
  }
  const items = Array.isArray(model.content) ? (model.content as Contents.IModel[]) : [];
  return items.map(item => ({
    name: item.name,
    path: item.path,
    type: item.type,
    size: item.size ?? null,
    last_modified: item.last_modified
  }));
}

/**
 * Stream a file from the server's `/files/` URL into one buffer, reporting
 * progress, so a tab can show how far a big trace is and stop it.
 *
 * Why not the Contents API: it returns the file as one JSON string (slow,
 * capped by the browser's string length), and gives no progress.
 *
 * @param contents The app's contents manager (its download URL and server settings).
 * @param path Server path of the file.
 * @param onProgress Called after each chunk; `total` comes from Content-Length,
 *   else from `sizeHint`, else null.
 * @param signal Aborts the request and the read. After an abort the promise
 *   rejects; check `signal.aborted` rather than the error's type, since
 *   ServerConnection wraps fetch failures.
 * @param sizeHint File size from a listing, for servers that send no Content-Length.
 * @throws {TraceFileError} when the server does not return the file.
 */
export async function streamTraceFile(
  contents: Contents.IManager,
  path: string,
  onProgress: StreamProgress,
  signal: AbortSignal,
  sizeHint: number | null = null
): Promise<ArrayBuffer> {
  const url = await contents.getDownloadUrl(path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, { signal }, contents.serverSettings);
  } catch (reason) {
    if (signal.aborted) {
      throw reason;
    }
    throw new TraceFileError(
      'network',
      `The server could not be reached for ${path}: ${String(reason)}`,
      path
    );
  }
  if (response.status === 404) {
    throw new TraceFileError('not-found', `The file ${path} does not exist on the server.`, path);
  }
  if (!response.ok) {
    throw new TraceFileError(
      'network',
      `The server answered ${response.status} ${response.statusText} for ${path}.`,
      path
    );
  }
  const header = Number(response.headers.get('Content-Length'));
  // A compressed transfer's Content-Length counts compressed bytes; the hint
  // from the listing is then the better total.
  const encoded = (response.headers.get('Content-Encoding') ?? 'identity') !== 'identity';
  const total = !encoded && header > 0 ? header : sizeHint !== null && sizeHint > 0 ? sizeHint : null;
  if (!response.body) {
    const whole = await response.arrayBuffer();
    onProgress(whole.byteLength, total);
    return whole;
  }
  const reader = response.body.getReader();
  // Copy chunks into one buffer sized by the expected total, growing only if
  // the server sends more: a second full-size copy of a big trace is what
  // would run the page out of memory.
  let buffer = new Uint8Array(total ?? 1 << 20);
  let loaded = 0;
  onProgress(0, total);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      if (loaded + value.byteLength > buffer.byteLength) {
        const grown = new Uint8Array(Math.max(buffer.byteLength * 2, loaded + value.byteLength));
        grown.set(buffer.subarray(0, loaded));
        buffer = grown;
      }
      buffer.set(value, loaded);
      loaded += value.byteLength;
      onProgress(loaded, total);
    }
  } catch (reason) {
    if (signal.aborted) {
      throw reason;
    }
    throw new TraceFileError(
      'network',
      `Reading ${path} from the server stopped after ${loaded} bytes: ${String(reason)}`,
      path
    );
  } finally {
    reader.releaseLock();
  }
  return loaded === buffer.byteLength ? buffer.buffer : buffer.slice(0, loaded).buffer;
}
