import { describe, expect, it } from 'vitest';
import { parseWholeTrace } from '../../src/trace/parseWholeTrace';
import { bytesOf } from './traceBytes';

const EVENT = '{"ph": "X", "name": "op", "pid": 1, "tid": 2, "ts": 10, "dur": 1}';

describe('parseWholeTrace', () => {
  it('parses a bare event array', () => {
    expect(parseWholeTrace(bytesOf('[' + EVENT + ']'))).toEqual({
      events: [{ ph: 'X', name: 'op', pid: 1, tid: 2, ts: 10, dur: 1 }],
      top: null
    });
  });

  it('parses a Kineto object, keeping its other keys without the events', () => {
    const whole = parseWholeTrace(
      bytesOf(
        '{"schemaVersion": 1, "traceEvents": [' + EVENT + '], "baseTimeNanoseconds": 1700000000000000000}'
      )
    );
    expect(whole?.events).toHaveLength(1);
    // Long numbers stay exact text, as the scanner keeps them.
    expect(whole?.top).toEqual({ schemaVersion: 1, baseTimeNanoseconds: '1700000000000000000' });
  });

  it('keeps long ts and flow ids as their text', () => {
    const whole = parseWholeTrace(
      bytesOf('[{"ph": "s", "id": 1736408883704643212, "ts": 1712195495505543.2, "pid": 1, "tid": 1}]')
    );
    expect(whole?.events[0]).toMatchObject({ id: '1736408883704643212', ts: '1712195495505543.2' });
  });

  it('skips a byte order mark', () => {
    const bytes = bytesOf('[' + EVENT + ']');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    expect(parseWholeTrace(withBom)).toEqual(parseWholeTrace(bytes));
  });

  it('leaves to the scanner what it repairs, describes or reads its own way', () => {
    for (const text of [
      '[' + EVENT + ',]', // trailing comma: repaired and counted
      '[' + EVENT + '] x', // garbage after the value
      '<html></html>',
      '[]',
      '[1, 2, 3]', // not trace events
      '{"a": 1}',
      '{"traceEvents": {}}',
      // Two event arrays: the scanner reads the first, JSON.parse keeps the last.
      '{"traceEvents": [' + EVENT + '], "traceEvents": []}',
      '{"traceEvents": [' + EVENT + '], "trace\\u0045vents": []}'
    ]) {
      expect(parseWholeTrace(bytesOf(text)), text).toBeNull();
    }
  });

  it('looks for a trace event among the first items only, as the scanner does', () => {
    const items = Array.from({ length: 100 }, () => '{}');
    expect(parseWholeTrace(bytesOf('[' + [...items, EVENT].join(',') + ']'))).toBeNull();
    expect(parseWholeTrace(bytesOf('[' + [...items.slice(1), EVENT].join(',') + ']'))).not.toBeNull();
  });
});
