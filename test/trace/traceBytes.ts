/**
 * Test helpers: the bytes of a public trace (inflated), and small built traces.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { isGzip } from '../../src/trace/gzip';
import { publicTrace } from '../publicTraces';

/** Decompressed bytes of a public trace, by its path under public-traces/. */
export function publicTraceBytes(relative: string): Uint8Array {
  const raw = fs.readFileSync(publicTrace(relative));
  return isGzip(raw) ? zlib.gunzipSync(raw) : raw;
}

/** UTF-8 bytes of a text. */
export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Bytes of a trace built from event objects, as a bare array (torch_npu style). */
export function bareTrace(events: object[]): Uint8Array {
  return bytesOf(JSON.stringify(events));
}
