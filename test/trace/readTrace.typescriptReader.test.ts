import { describe, expect, it, vi } from 'vitest';
import { EventBytesReader } from '../../src/trace/eventBytes';
import { readTrace, readTraceStream } from '../../src/trace/readTrace';
import { PUBLIC_TRACE_FILES, publicTraceBytes } from './traceBytes';

/**
 * Where WebAssembly cannot be compiled (a page's main thread, an old
 * runtime), the model builder reads events from bytes with the TypeScript
 * reader. This file runs the whole reader that way and checks it gives the
 * model `JSON.parse` gives, as the WebAssembly reader does (readTrace.bytePath.test.ts).
 */
vi.mock('../../src/trace/wasmEventReader', async original => ({
  ...(await original<typeof import('../../src/trace/wasmEventReader')>()),
  createEventBytesReader: () => new EventBytesReader()
}));

describe('reading events from bytes without WebAssembly', () => {
  it.each(PUBLIC_TRACE_FILES)('reads %s to the model JSON.parse gives', async relative => {
    const bytes = publicTraceBytes(relative);
    const fromObjects = readTrace(bytes, { byteReaderFrom: Infinity });
    const reads = vi.spyOn(EventBytesReader.prototype, 'read');
    expect(readTrace(bytes, { byteReaderFrom: 0 })).toEqual(fromObjects);
    expect(reads).toHaveBeenCalled(); // the TypeScript reader read the events
    reads.mockRestore();
    const pieces = [bytes.subarray(0, 1000), bytes.subarray(1000, 300_000), bytes.subarray(300_000)];
    expect(await readTraceStream(pieces, { byteReaderFrom: 0 })).toEqual(fromObjects);
  });
});
