import { describe, expect, it } from 'vitest';
import {
  ABSENT,
  ARG_CONNECTION_ID,
  ARG_CORRELATION,
  ARG_TASK_TYPE,
  ARGS,
  ARRAY,
  CAT,
  DUR,
  ESCAPED_KEY,
  EventBytesReader,
  NAME,
  NULL,
  NUMBER,
  NUMBER_HAS_FRACTION,
  OBJECT,
  PH,
  PID,
  STRING,
  TID,
  TS
} from '../../src/trace/eventBytes';
import { NEED_MORE_BYTES, NOT_STRICT_JSON, STRING_HAS_ESCAPE } from '../../src/trace/jsonBytes';
import { RawLanes } from '../../src/trace/rawLanes';
import { bytesOf } from './traceBytes';

const decoder = new TextDecoder();

describe('EventBytesReader', () => {
  const event =
    '{"name": "trans_TransData_0", "pid": 3170820512, "tid": 2, "ts": "1736408883704643.212", "dur": 53.7410625, ' +
    '"args": {"Model Id": 4294967295, "Task Type": "AI_CORE", "Input Dims": [[1, 2]], "connection_id": 953}, "ph": "X"}';

  it('finds the fields the model reads, and the separator after the object', () => {
    const bytes = bytesOf(event + ' ,');
    const r = new EventBytesReader();
    expect(r.read(bytes, 0, bytes.length)).toBe(bytes.length - 1);
    expect(r.objectEnd).toBe(event.length);
    const text = (field: number): string => decoder.decode(bytes.subarray(r.from[field], r.to[field]));
    expect(r.kind[PH]).toBe(STRING);
    expect(text(PH)).toBe('X');
    expect(text(NAME)).toBe('trans_TransData_0');
    expect(r.kind[PID]).toBe(NUMBER);
    expect(text(PID)).toBe('3170820512');
    expect(text(TID)).toBe('2');
    expect(text(TS)).toBe('1736408883704643.212');
    expect(r.form[DUR]).toBe(NUMBER_HAS_FRACTION);
    expect(r.digits[DUR]).toBe(9);
    expect(r.kind[CAT]).toBe(ABSENT);
    expect(r.kind[ARGS]).toBe(OBJECT);
    expect(text(ARG_TASK_TYPE)).toBe('AI_CORE');
    expect(text(ARG_CONNECTION_ID)).toBe('953');
    expect(r.kind[ARG_CORRELATION]).toBe(ABSENT);
  });

  it('keeps the last of repeated keys, also a later args that is not an object', () => {
    const bytes = bytesOf('{"ph": "M", "args": {"correlation": 1}, "ph": "X", "args": [1], "name": null}]');
    const r = new EventBytesReader();
    expect(r.read(bytes, 0, bytes.length)).toBe(bytes.length - 1);
    expect(bytes[r.from[PH]]).toBe(0x58);
    expect(r.kind[ARGS]).toBe(ARRAY);
    expect(r.kind[ARG_CORRELATION]).toBe(ABSENT);
    expect(r.kind[NAME]).toBe(NULL);
  });

  it('marks escaped strings, and gives up on escaped keys', () => {
    const r = new EventBytesReader();
    const escapedName = bytesOf('{"name": "a\\"b"},');
    expect(r.read(escapedName, 0, escapedName.length)).toBe(escapedName.length - 1);
    expect(r.form[NAME] & STRING_HAS_ESCAPE).toBe(STRING_HAS_ESCAPE);
    const escapedKey = bytesOf('{"n\\u0061me": "x"},');
    expect(r.read(escapedKey, 0, escapedKey.length)).toBe(ESCAPED_KEY);
  });

  it('needs more bytes until the separator, and rejects what follows that is not one', () => {
    const r = new EventBytesReader();
    const bytes = bytesOf(event + ',');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(r.read(bytes, 0, cut), `cut at ${cut}`).toBe(NEED_MORE_BYTES);
    }
    const glued = bytesOf(event + ' {');
    expect(r.read(glued, 0, glued.length)).toBe(NOT_STRICT_JSON);
  });
});

describe('RawLanes', () => {
  it('numbers lanes by first appearance, by text or by interned ids', () => {
    const lanes = new RawLanes();
    const texts = ['1', '2', '1/2', ''];
    expect(lanes.byText('1', '2', false)).toBe(0);
    expect(lanes.byIds(0, 1, false, texts)).toBe(0);
    expect(lanes.byIds(0, 1, true, texts)).toBe(1); // the annotation lane of pid 1
    expect(lanes.byIds(2, 3, false, texts)).toBe(2);
    // "1/2" + "/" + "" and "1" + "/" + "2/": lanes are keyed by their text.
    expect(lanes.byText('1/2', '', false)).toBe(2);
    expect(lanes.lanes.map(l => `${l.pid}|${l.tid}|${l.annotations}`)).toEqual([
      '1|2|false',
      '1||true',
      '1/2||false'
    ]);
  });
});
