/**
 * byteKeys: a hash table from byte strings to small integers, so that the
 * event reader can find the id of a name, a category or a pid it met before
 * without making a JS string of it (a trace repeats a few thousand names
 * hundreds of thousands of times).
 *
 * Pure module.
 */

/** Returned by {@link ByteKeyTable.get} for bytes never {@link ByteKeyTable.set | set}. */
export const NO_ID = -1;

/**
 * Slots in a new table; a power of two. Small, since a model builder makes
 * three tables and a small trace fills few slots; the table doubles as needed.
 */
const INITIAL_SLOTS = 64;

/** The table grows when more than this share of its slots is used. */
const MAX_LOAD = 0.5;

/** First bytes of key storage. */
const INITIAL_KEY_BYTES = 1024;

/** FNV-1a offset basis and prime (32-bit). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Bytes of a key that go into its hash, at most: spread over longer keys.
 * Kernel names run to hundreds of bytes; their hash need not read them all,
 * since a hit compares every byte anyway.
 */
const HASHED_BYTES = 32;

/** Hash of `buf[from..to)`, 32-bit: its length and up to {@link HASHED_BYTES} bytes. */
function hashBytes(buf: Uint8Array, from: number, to: number): number {
  const length = to - from;
  const step = length > HASHED_BYTES ? Math.ceil(length / HASHED_BYTES) : 1;
  let h = Math.imul(FNV_OFFSET ^ length, FNV_PRIME);
  for (let i = from; i < to; i += step) {
    h = Math.imul(h ^ buf[i], FNV_PRIME);
  }
  if (length > 0) {
    h = Math.imul(h ^ buf[to - 1], FNV_PRIME); // the last byte, which the steps may miss
  }
  return h | 0;
}

/**
 * Open-addressing table of byte strings → non-negative ids. Keys are copied
 * in; the caller's buffer may change after a call.
 */
export class ByteKeyTable {
  /**
   * The id stored for the bytes `buf[from..to)`, or {@link NO_ID}. Also
   * remembers the slot, so that a {@link set} of the same bytes right after
   * a miss does not hash again.
   */
  get(buf: Uint8Array, from: number, to: number): number {
    const length = to - from;
    const hash = hashBytes(buf, from, to);
    const mask = this._hashes.length - 1;
    let slot = hash & mask;
    for (;;) {
      const id = this._ids[slot];
      if (id === NO_ID) {
        this._missSlot = slot;
        this._missHash = hash;
        return NO_ID;
      }
      if (this._hashes[slot] === hash && this._lengths[slot] === length) {
        const at = this._offsets[slot];
        let k = 0;
        while (k < length && this._keys[at + k] === buf[from + k]) {
          k++;
        }
        if (k === length) {
          return id;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Store `id` (≥ 0) for bytes that {@link get} just missed. */
  set(buf: Uint8Array, from: number, to: number, id: number): void {
    const length = to - from;
    if (this._keyBytes + length > this._keys.length) {
      const grown = new Uint8Array(Math.max(this._keys.length * 2, this._keyBytes + length));
      grown.set(this._keys.subarray(0, this._keyBytes));
      this._keys = grown;
    }
    this._keys.set(buf.subarray(from, to), this._keyBytes);
    this._place(this._missSlot, this._missHash, this._keyBytes, length, id);
    this._keyBytes += length;
    this._count++;
    if (this._count > this._hashes.length * MAX_LOAD) {
      this._grow();
    }
  }

  /** Number of keys stored. */
  get size(): number {
    return this._count;
  }

  private _place(slot: number, hash: number, offset: number, length: number, id: number): void {
    this._hashes[slot] = hash;
    this._offsets[slot] = offset;
    this._lengths[slot] = length;
    this._ids[slot] = id;
  }

  private _grow(): void {
    const { _hashes: hashes, _offsets: offsets, _lengths: lengths, _ids: ids } = this;
    this._allocate(hashes.length * 2);
    const mask = this._hashes.length - 1;
    for (let old = 0; old < ids.length; old++) {
      if (ids[old] === NO_ID) {
        continue;
      }
      let slot = hashes[old] & mask;
      while (this._ids[slot] !== NO_ID) {
        slot = (slot + 1) & mask;
      }
      this._place(slot, hashes[old], offsets[old], lengths[old], ids[old]);
    }
  }

  private _allocate(slots: number): void {
    this._hashes = new Int32Array(slots);
    this._offsets = new Int32Array(slots);
    this._lengths = new Int32Array(slots);
    this._ids = new Int32Array(slots).fill(NO_ID);
  }

  // Slots: hash, where the key's bytes are in `_keys`, their length, the id.
  private _hashes = new Int32Array(INITIAL_SLOTS);
  private _offsets = new Int32Array(INITIAL_SLOTS);
  private _lengths = new Int32Array(INITIAL_SLOTS);
  private _ids = new Int32Array(INITIAL_SLOTS).fill(NO_ID);
  private _keys = new Uint8Array(INITIAL_KEY_BYTES);
  private _keyBytes = 0;
  private _count = 0;
  // Where the last missed `get` stopped, for the `set` that follows it.
  private _missSlot = 0;
  private _missHash = 0;
}
