import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isGzip } from '../../src/trace/gzip';

describe('isGzip', () => {
  it('recognises gzip output by its magic bytes', () => {
    expect(isGzip(zlib.gzipSync(Buffer.from('[]')))).toBe(true);
  });

  it.each([
    ['JSON text', new TextEncoder().encode('[{"ph": "X"}]')],
    ['one byte', new Uint8Array([0x1f])],
    ['no bytes', new Uint8Array(0)]
  ])('says no for %s', (_, bytes) => {
    expect(isGzip(bytes)).toBe(false);
  });
});
