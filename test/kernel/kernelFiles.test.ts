/**
 * Reading a file through the kernel (src/kernel/kernelFiles.ts). The kernel connection is a
 * stand-in whose requestExecute forwards each execute_request to a real python3 IPython kernel
 * (test/kernel/runInKernel.py --serve), so every expression the module sends is evaluated for
 * real and the replies are the kernel's own. Failures a live kernel cannot easily produce on
 * demand (a dead kernel, an error reply) use a scripted stand-in.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  DEFAULT_KERNEL_CHUNK_BYTES,
  KernelFileError,
  planChunks,
  kernelFileChunks,
  readFileViaKernel,
  statViaKernel
} from '../../src/kernel/kernelFiles';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DRIVER = path.join(__dirname, 'runInKernel.py');
const MiB = 1024 * 1024;
/** Size of the big test file: 20 MB, so 8 MiB chunks make 3 requests. */
const BIG_FILE_BYTES = 20_000_000;
const EIGHT_MIB = 8 * MiB;

/** The Python the tests run: ASCEND_PROFILER_PYTHON, else the repo's venv, else python3. */
function pythonExe(): string {
  const fromEnv = process.env.ASCEND_PROFILER_PYTHON;
  if (fromEnv) {
    return fromEnv;
  }
  const venv = path.join(REPO_ROOT, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

type ExecuteContent = KernelMessage.IExecuteRequestMsg['content'];

/** What the real kernel did with one request. */
interface IServed {
  request: ExecuteContent;
  reply: KernelMessage.IExecuteReplyMsg['content'];
  /** IOPub outputs (stream, display_data, execute_result, error) the request produced. */
  outputs: unknown[];
}

/** A kernel connection whose requestExecute is answered by a real IPython kernel. */
class RealKernel {
  readonly status = 'idle';
  readonly isDisposed = false;
  readonly served: IServed[] = [];
  /** How many futures were disposed before their reply arrived. */
  disposedEarly = 0;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(line: string) => void> = [];
  private buffered = '';

  constructor(cwd: string) {
    this.child = spawn(pythonExe(), [DRIVER, '--serve', '--cwd', cwd, '--timeout', '60']);
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (text: string) => {
      this.buffered += text;
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        this.waiting.shift()?.(line);
      }
    });
  }

  /** Same signature as Kernel.IKernelConnection.requestExecute, enough of the future to use. */
  requestExecute(content: ExecuteContent) {
    let disposed = false;
    let replied = false;
    const done = new Promise<KernelMessage.IExecuteReplyMsg>(resolve => {
      this.waiting.push(line => {
        replied = true;
        const { reply, outputs } = JSON.parse(line);
        this.served.push({ request: content, reply, outputs });
        resolve({ content: reply } as KernelMessage.IExecuteReplyMsg);
      });
    });
    this.child.stdin.write(JSON.stringify(content) + '\n');
    return {
      done,
      dispose: () => {
        disposed = true;
        this.disposedEarly += replied ? 0 : 1;
      },
      get isDisposed() {
        return disposed;
      }
    };
  }

  /** Evaluates one expression in the user's namespace, silently. */
  async evaluate(expression: string): Promise<string> {
    const reply = await this.requestExecute({
      code: '',
      silent: true,
      store_history: false,
      user_expressions: { value: expression }
    }).done;
    return ((reply.content as any).user_expressions.value.data['text/plain'] as string) ?? '';
  }

  asConnection(): Kernel.IKernelConnection {
    return this as unknown as Kernel.IKernelConnection;
  }

  async shutdown(): Promise<void> {
    const exited = new Promise(resolve => this.child.on('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

/** A kernel connection whose every request settles as `answer` says. */
function scriptedKernel(
  answer: () => Promise<unknown>,
  state: { status?: string; isDisposed?: boolean } = {}
): Kernel.IKernelConnection {
  return {
    status: state.status ?? 'idle',
    isDisposed: state.isDisposed ?? false,
    requestExecute: () => ({
      done: answer().then(content => ({ content })),
      dispose: () => undefined,
      isDisposed: false
    })
  } as unknown as Kernel.IKernelConnection;
}

async function readError(promise: Promise<unknown>): Promise<KernelFileError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason
  );
  expect(error).toBeInstanceOf(KernelFileError);
  return error as KernelFileError;
}

describe('planChunks', () => {
  it('covers the file with consecutive chunks of at most the chunk size', () => {
    expect(planChunks(BIG_FILE_BYTES, EIGHT_MIB)).toEqual([
      { offset: 0, length: EIGHT_MIB },
      { offset: EIGHT_MIB, length: EIGHT_MIB },
      { offset: 2 * EIGHT_MIB, length: BIG_FILE_BYTES - 2 * EIGHT_MIB }
    ]);
    expect(planChunks(BIG_FILE_BYTES)).toHaveLength(Math.ceil(BIG_FILE_BYTES / DEFAULT_KERNEL_CHUNK_BYTES));
    expect(planChunks(0)).toEqual([]);
  });

  it('refuses sizes and chunk sizes that make no sense', () => {
    expect(() => planChunks(-1)).toThrow(RangeError);
    expect(() => planChunks(10, 0)).toThrow(RangeError);
  });
});

describe('readFileViaKernel with a real IPython kernel', () => {
  let dir: string;
  let kernel: RealKernel;
  let big: Buffer;
  let bigPath: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-files-'));
    big = crypto.randomBytes(BIG_FILE_BYTES);
    bigPath = path.join(dir, 'trace.bin');
    fs.writeFileSync(bigPath, big);
    kernel = new RealKernel(dir);
  });

  afterAll(async () => {
    await kernel?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('returns a 20 MB binary file byte for byte, in 3 silent requests of 8 MiB, with monotone progress', async () => {
    const namesBefore = await kernel.evaluate('sorted(globals())');
    const first = kernel.served.length;
    const progress: Array<[number, number | null]> = [];

    const bytes = await readFileViaKernel(kernel.asConnection(), bigPath, {
      chunkBytes: EIGHT_MIB,
      onProgress: (loaded, total) => progress.push([loaded, total])
    });

    expect(Buffer.from(bytes).equals(big)).toBe(true);
    const served = kernel.served.slice(first);
    expect(served).toHaveLength(1 + 3); // the size, then 3 chunks
    for (const { request, reply, outputs } of served) {
      expect(request).toMatchObject({ code: '', silent: true, store_history: false });
      expect(reply.status).toBe('ok');
      // Nothing on IOPub: its rate limit would cut a big trace short.
      expect(outputs).toEqual([]);
    }
    expect(progress[0]).toEqual([0, BIG_FILE_BYTES]);
    expect(progress.at(-1)).toEqual([BIG_FILE_BYTES, BIG_FILE_BYTES]);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0]);
    }
    // The user's namespace is untouched.
    expect(await kernel.evaluate('sorted(globals())')).toBe(namesBefore);
  });

  it('reads with the default chunk size too', async () => {
    const first = kernel.served.length;
    const bytes = await readFileViaKernel(kernel.asConnection(), bigPath);
    expect(Buffer.from(bytes).equals(big)).toBe(true);
    expect(kernel.served.length - first).toBe(1 + planChunks(BIG_FILE_BYTES).length);
  });

  it('yields each chunk as its request is answered, before the next request is sent', async () => {
    const first = kernel.served.length;
    const chunks = await kernelFileChunks(kernel.asConnection(), bigPath, { chunkBytes: EIGHT_MIB });
    // Only the size has been asked so far: the chunks are read as they are consumed.
    expect(kernel.served.length - first).toBe(1);
    const sizes: number[] = [];
    const requestsSeen: number[] = [];
    const parts: Buffer[] = [];
    for await (const chunk of chunks) {
      requestsSeen.push(kernel.served.length - first);
      sizes.push(chunk.byteLength);
      parts.push(Buffer.from(chunk));
    }
    expect(sizes).toEqual([EIGHT_MIB, EIGHT_MIB, BIG_FILE_BYTES - 2 * EIGHT_MIB]);
    expect(requestsSeen).toEqual([2, 3, 4]);
    expect(Buffer.concat(parts).equals(big)).toBe(true);
  });

  it('reports a missing file when asked for the chunks, before any is read', async () => {
    const error = await readError(kernelFileChunks(kernel.asConnection(), path.join(dir, 'gone.json')));
    expect(error).toMatchObject({ kind: 'not-found' });
  });

  it('reads paths with quotes, spaces and non-ASCII letters, and empty files', async () => {
    const odd = path.join(dir, `it's "a" trace ü 追踪.json`);
    fs.writeFileSync(odd, '{"traceEvents": []}');
    const empty = path.join(dir, 'empty.json');
    fs.writeFileSync(empty, '');

    expect(Buffer.from(await readFileViaKernel(kernel.asConnection(), odd)).toString()).toBe(
      '{"traceEvents": []}'
    );
    expect((await readFileViaKernel(kernel.asConnection(), empty)).byteLength).toBe(0);
  });

  it('stops between chunks when aborted, sending no further request', async () => {
    const controller = new AbortController();
    const first = kernel.served.length;
    const reason = await readFileViaKernel(kernel.asConnection(), bigPath, {
      chunkBytes: EIGHT_MIB,
      signal: controller.signal,
      onProgress: loaded => {
        if (loaded > 0) {
          controller.abort();
        }
      }
    }).then(
      () => null,
      (error: unknown) => error
    );

    expect(controller.signal.aborted).toBe(true);
    expect((reason as DOMException).name).toBe('AbortError');
    expect(kernel.served.length - first).toBe(1 + 1); // the size and the first chunk only
  });

  it('rejects at once when aborted during a request, dropping its reply', async () => {
    const controller = new AbortController();
    const disposedBefore = kernel.disposedEarly;
    const reason = await readFileViaKernel(kernel.asConnection(), bigPath, {
      chunkBytes: EIGHT_MIB,
      signal: controller.signal,
      onProgress: loaded => {
        if (loaded > 0) {
          // The second chunk's request is sent right after this callback returns.
          setTimeout(() => controller.abort(), 0);
        }
      }
    }).then(
      () => null,
      (error: unknown) => error
    );

    expect((reason as DOMException).name).toBe('AbortError');
    expect(kernel.disposedEarly - disposedBefore).toBe(1);
  });

  it('refuses a chunk size below the minimum before asking the kernel', async () => {
    const first = kernel.served.length;
    await expect(readFileViaKernel(kernel.asConnection(), bigPath, { chunkBytes: 1 })).rejects.toThrow(
      RangeError
    );
    expect(kernel.served.length).toBe(first);
  });

  it("says 'not-found' for a missing file and for a folder", async () => {
    const missing = path.join(dir, 'no-such-run', 'trace_view.json');
    const error = await readError(readFileViaKernel(kernel.asConnection(), missing));
    expect(error.kind).toBe('not-found');
    expect(error.path).toBe(missing);
    expect(error.message).toContain('FileNotFoundError');

    expect((await readError(readFileViaKernel(kernel.asConnection(), dir))).kind).toBe('not-found');
  });

  it("says 'kernel' when the file shrinks during the read", async () => {
    const shrinking = path.join(dir, 'shrinking.bin');
    fs.writeFileSync(shrinking, big);
    const error = await readError(
      readFileViaKernel(kernel.asConnection(), shrinking, {
        chunkBytes: EIGHT_MIB,
        onProgress: loaded => {
          if (loaded > 0) {
            fs.truncateSync(shrinking, EIGHT_MIB + 1);
          }
        }
      })
    );
    expect(error.kind).toBe('kernel');
    expect(error.message).toContain('changed while it was read');
  });

  it('gives size and modification time like the file system', async () => {
    const stat = await statViaKernel(kernel.asConnection(), bigPath);
    const local = fs.statSync(bigPath, { bigint: true });
    expect(stat).toEqual({ size: BIG_FILE_BYTES, mtimeMs: Number(local.mtimeNs / 1_000_000n) });
  });
});

describe("readFileViaKernel when the kernel cannot answer: kind 'kernel'", () => {
  it('when the kernel is disposed or dead', async () => {
    const never = () => new Promise<unknown>(() => undefined);
    for (const state of [{ isDisposed: true }, { status: 'dead' }]) {
      const error = await readError(readFileViaKernel(scriptedKernel(never, state), '/x/trace.json'));
      expect(error.kind).toBe('kernel');
    }
  });

  it('when the kernel dies or restarts before replying', async () => {
    const canceled = () =>
      Promise.reject(new Error('Canceled future for execute_request message before replies were done'));
    const error = await readError(readFileViaKernel(scriptedKernel(canceled), '/x/trace.json'));
    expect(error.kind).toBe('kernel');
    expect(error.message).toContain('Canceled future');
  });

  it("when the reply's status is error or aborted", async () => {
    for (const content of [
      { status: 'error', ename: 'KeyboardInterrupt', evalue: '', traceback: [] },
      { status: 'aborted' }
    ]) {
      const error = await readError(
        readFileViaKernel(scriptedKernel(async () => content), '/x/trace.json')
      );
      expect(error.kind).toBe('kernel');
      expect(error.message).toContain(content.status);
    }
  });

  it('when the kernel ignores user_expressions (not an IPython kernel)', async () => {
    const error = await readError(
      readFileViaKernel(scriptedKernel(async () => ({ status: 'ok', user_expressions: {} })), '/x/t.json')
    );
    expect(error.kind).toBe('kernel');
  });
});
