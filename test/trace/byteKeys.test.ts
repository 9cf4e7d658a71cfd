import { describe, expect, it } from 'vitest';
import { ByteKeyTable, NO_ID } from '../../src/trace/byteKeys';
import { InternedStrings } from '../../src/trace/internedStrings';
import { bytesOf } from './traceBytes';

describe('ByteKeyTable', () => {
  it('finds ids by bytes, wherever the bytes are, through growth', () => {
    const table = new ByteKeyTable();
    const keys = Array.from({ length: 5000 }, (_, i) => `key ${i} ${'x'.repeat(i % 50)}`);
    keys.forEach((key, id) => {
      const bytes = bytesOf('<<' + key + '>>');
      expect(table.get(bytes, 2, bytes.length - 2)).toBe(NO_ID);
      table.set(bytes, 2, bytes.length - 2, id);
    });
    expect(table.size).toBe(keys.length);
    keys.forEach((key, id) => {
      const bytes = bytesOf(key);
      expect(table.get(bytes, 0, bytes.length)).toBe(id);
    });
    const empty = new Uint8Array(0);
    expect(table.get(empty, 0, 0)).toBe(NO_ID);
    expect(table.get(bytesOf('key 1'), 0, 5)).toBe(NO_ID); // a prefix of a key is not the key
  });

  it('tells apart long keys that differ only in bytes their hash skips', () => {
    const table = new ByteKeyTable();
    const key = (k: number): Uint8Array =>
      bytesOf('void kernel<' + 'a'.repeat(100) + String.fromCharCode(65 + k) + 'b'.repeat(100) + '>');
    for (let k = 0; k < 26; k++) {
      const bytes = key(k);
      expect(table.get(bytes, 0, bytes.length)).toBe(NO_ID);
      table.set(bytes, 0, bytes.length, k);
    }
    for (let k = 0; k < 26; k++) {
      const bytes = key(k);
      expect(table.get(bytes, 0, bytes.length)).toBe(k);
    }
  });
});

describe('InternedStrings', () => {
  it('gives each string one id in order of first use', () => {
    const seen: string[] = [];
    const strings = new InternedStrings(text => seen.push(text));
    expect(strings.id('a')).toBe(0);
    expect(strings.id('b')).toBe(1);
    expect(strings.id('a')).toBe(0);
    expect(strings.strings).toEqual(['a', 'b']);
    expect(seen).toEqual(['a', 'b']);
  });
});
