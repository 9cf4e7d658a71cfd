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
 * Read the bytes of a small file (a sibling CSV or JSON) named relative to the document that
 * shows it, as one buffer.
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
  const { response } = await openUrl(url, ServerConnection.makeSettings(), serverPath, undefined, null);
  return response.arrayBuffer();
}

/**
 * Read a trace file named relative to the document that shows it, as the chunks the network
 * delivers (see {@link traceFileChunks}).
 *
 * @param resolver The document's URL resolver (notebook outputs get the notebook's).
 * @param path Path relative to the document's folder, posix separators.
 * @param onProgress Called with bytes read so far and the total when known.
 * @param sizeHint The file size when the caller knows it (the bundle's `trace_bytes`).
 * @param signal Cancels the download.
 * @throws {TraceFileError} when the server does not return the file.
 */
export async function resolvedTraceChunks(
  resolver: IRenderMime.IResolver,
  path: string,
  onProgress: StreamProgress,
  sizeHint: number | null = null,
  signal?: AbortSignal
): Promise<AsyncIterable<Uint8Array>> {
  const serverPath = await resolver.resolveUrl(path);
  const url = await resolver.getDownloadUrl(serverPath);
  const download = await openUrl(url, ServerConnection.makeSettings(), serverPath, signal, sizeHint);
  return responseChunks(download, serverPath, onProgress, signal);
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

/** An open download of a trace file: its body and the total to report progress against. */
interface IDownload {
  response: Response;
  total: number | null;
}

/** Ask the server for a file's raw bytes; throws TraceFileError for a missing file or a failure. */
async function openDownload(
  contents: Contents.IManager,
  path: string,
  signal: AbortSignal,
  sizeHint: number | null
): Promise<IDownload> {
  const url = await contents.getDownloadUrl(path);
  return openUrl(url, contents.serverSettings, path, signal, sizeHint);
}

/**
 * Request `url` (the download URL of server path `path`); throws TraceFileError for a missing
 * file or a failure, the signal's reason when aborted.
 */
async function openUrl(
  url: string,
  settings: ServerConnection.ISettings,
  path: string,
  signal: AbortSignal | undefined,
  sizeHint: number | null
): Promise<IDownload> {
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, { signal }, settings);
  } catch (reason) {
    if (signal?.aborted) {
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
  return { response, total };
}

/**
 * Read a trace file from the server as one buffer, reporting progress.
 *
 * @param contents The Contents manager (its server settings and download URLs).
 * @param path Server path of the file.
 * @param onProgress Called with bytes read so far and the total when known.
 * @param signal Cancels the download.
 * @param sizeHint The file size from a listing, used when the server sends no length.
 * @throws {TraceFileError} when the server does not return the file.
 */
export async function streamTraceFile(
  contents: Contents.IManager,
  path: string,
  onProgress: StreamProgress,
  signal: AbortSignal,
  sizeHint: number | null = null
): Promise<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for await (const chunk of await traceFileChunks(contents, path, onProgress, signal, sizeHint)) {
    parts.push(chunk);
    loaded += chunk.byteLength;
  }
  return joinChunks(parts, loaded).buffer as ArrayBuffer;
}

/** The chunks in one buffer of `size` bytes. */
export function joinChunks(parts: readonly Uint8Array[], size: number): Uint8Array {
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  return whole;
}

/**
 * Read a trace file from the server as the chunks the network delivers, so a
 * reader can parse it while it downloads and the page never holds it whole.
 * The request is made (and a missing file reported) before this resolves.
 *
 * @throws {TraceFileError} when the server does not return the file; the
 *   iteration throws it too when the download breaks off.
 */
export async function traceFileChunks(
  contents: Contents.IManager,
  path: string,
  onProgress: StreamProgress,
  signal: AbortSignal,
  sizeHint: number | null = null
): Promise<AsyncIterable<Uint8Array>> {
  const download = await openDownload(contents, path, signal, sizeHint);
  return responseChunks(download, path, onProgress, signal);
}

/** The body of an open download as the chunks the network delivers, reporting progress. */
function responseChunks(
  { response, total }: IDownload,
  path: string,
  onProgress: StreamProgress,
  signal: AbortSignal | undefined
): AsyncIterable<Uint8Array> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    onProgress(0, total);
    if (!response.body) {
      const whole = new Uint8Array(await response.arrayBuffer());
      onProgress(whole.byteLength, total);
      yield whole;
      return;
    }
    const reader = response.body.getReader();
    let loaded = 0;
    try {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (reason) {
          if (signal?.aborted) {
            throw reason;
          }
          throw new TraceFileError(
            'network',
            `Reading ${path} from the server stopped after ${loaded} bytes: ${String(reason)}`,
            path
          );
        }
        if (next.done) {
          return;
        }
        loaded += next.value.byteLength;
        onProgress(loaded, total);
        yield next.value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  return chunks();
}
