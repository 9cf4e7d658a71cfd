/**
 * internedStrings: each distinct string gets a small id, once, in order of
 * first use. (Strings read from bytes are found again by their bytes in the
 * event reader, without decoding them: see byteKeys.ts.)
 *
 * Pure module.
 */

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

  private readonly _onNew: (text: string) => void;
  private readonly _ids = new Map<string, number>();
}
