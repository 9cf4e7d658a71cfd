/**
 * The one place that reads trace files from the Jupyter server.
 *
 * Traces are fetched as raw bytes from the `/files/` endpoint rather than
 * through the Contents API: the Contents API wraps the whole file in one
 * JSON string, which is slower and hits the browser's string-length cap on
 * big traces (shared/docs/performance.md §5 item 7).
 */
import { ServerConnection } from '@jupyterlab/services';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { IAnalysisError } from '../tokens';

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
