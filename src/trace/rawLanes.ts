/**
 * rawLanes: the lanes (pid/tid pairs) met while reading, in order of
 * appearance, with the counts {@link resolveLanes} needs.
 *
 * Pure module.
 */
import { IRawLane, laneKey } from './resolveLanes';

/** Multiplier that packs a pid id and a tid id into one cache key (ids < 2^32). */
const ID_PAIR_SCALE = 2 ** 32;

/** Raw lanes, keyed by their text as everywhere else (`pid/tid`). */
export class RawLanes {
  /** The lanes, by raw index. */
  readonly lanes: IRawLane[] = [];

  /**
   * Raw index of a lane by its pid and tid text; a new lane gets the next one.
   *
   * @param annotations - the synthetic lane of a GPU's user annotations (per pid).
   */
  byText(pid: string, tid: string, annotations: boolean): number {
    const key = annotations ? pid + '/\u0000annotations' : laneKey(pid, tid);
    let id = this._byKey.get(key);
    if (id === undefined) {
      id = this.lanes.length;
      this.lanes.push({
        pid,
        tid: annotations ? '' : tid,
        annotations,
        slices: 0,
        samples: 0,
        dequeues: 0,
        deviceSlices: 0
      });
      this._byKey.set(key, id);
    }
    return id;
  }

  /**
   * {@link byText} for interned pid and tid texts, without making the key
   * text again for a pair seen before (most events repeat the last pair).
   *
   * @param texts - the interned texts, by id.
   */
  byIds(pid: number, tid: number, annotations: boolean, texts: string[]): number {
    if (pid === this._lastPid && tid === this._lastTid && annotations === this._lastAnnotations) {
      return this._lastLane;
    }
    const key = annotations ? -1 - pid : pid * ID_PAIR_SCALE + tid;
    let lane = this._byIds.get(key);
    if (lane === undefined) {
      lane = this.byText(texts[pid], texts[tid], annotations);
      this._byIds.set(key, lane);
    }
    this._lastPid = pid;
    this._lastTid = tid;
    this._lastAnnotations = annotations;
    this._lastLane = lane;
    return lane;
  }

  private readonly _byKey = new Map<string, number>();
  private readonly _byIds = new Map<number, number>();
  private _lastPid = -1;
  private _lastTid = -1;
  private _lastAnnotations = false;
  private _lastLane = -1;
}
