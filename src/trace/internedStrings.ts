/**
 * internedStrings: each distinct string gets a small id, once, in order of
 * first use; strings read from bytes are found again by their bytes, without
 * decoding them (see byteKeys.ts).
 *
 * Pure module.
 */
import { ByteKeyTable, NO_ID } from './byteKeys';

export { NO_ID };

/** A growing list of distinct strings and their ids. */
export class InternedStrings {
  /**
   * @param onNew - called with each new string, right after it got its id
   *   (`strings.length - 1`), so that callers can keep facts about it by id.
   */
  constructor(onNew: (text: string) => void = () => undefined) {
    this._onNew = onNew;
  }

  /** The strings, by id. */
  readonly strings: string[] = [];

  /** Id of `text`; a new string gets the next id. */
  id(text: string): number {
    let id = this._ids.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this._ids.set(text, id);
      this._onNew(text);
    }
    return id;
  }

  /**
   * Id of the string last stored for the bytes `buf[from..to)` with
   * {@link setBytes}, or {@link NO_ID}. The same bytes must always stand for
   * the same string.
   */
  idOfBytes(buf: Uint8Array, from: number, to: number): number {
    return this._byBytes.get(buf, from, to);
  }

  /** Id of `text`, read from the bytes `buf[from..to)` that {@link idOfBytes} just missed. */
  setBytes(buf: Uint8Array, from: number, to: number, text: string): number {
    const id = this.id(text);
    this._byBytes.set(buf, from, to, id);
    return id;
  }

  private readonly _onNew: (text: string) => void;
  private readonly _ids = new Map<string, number>();
  private readonly _byBytes = new ByteKeyTable();
}
