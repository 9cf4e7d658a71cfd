/**
 * Nesting depth of slices on one lane. Slices on a lane usually nest
 * (a torch op contains its aten calls), but some lanes hold overlapping
 * slices that do not nest (Ascend communication stream, Overlap Analysis,
 * HCCL planes), so a plain stack is not enough.
 *
 * Pure module.
 */

/**
 * Tolerance when comparing ends and starts, µs. Durations are doubles with
 * long binary fractions; 1 ps absorbs their rounding without merging
 * distinct nanosecond timestamps.
 */
export const DEPTH_EPSILON_US = 1e-6;

/**
 * Write into `depth[lo..hi)` the depth of each slice of one lane.
 *
 * Slices must be sorted by start, longer first on ties. A slice goes one
 * level below the innermost open slice that contains it (0 when none), and
 * further down while that level is still taken by an overlapping slice:
 * overlapping slices that do not nest get the next free depth.
 */
export function assignDepths(
  start: Float64Array,
  dur: Float64Array,
  depth: Uint16Array,
  lo: number,
  hi: number
): void {
  const open: number[] = []; // slice indices; innermost last
  const levelEnd: number[] = []; // end of the last slice placed at each depth
  for (let i = lo; i < hi; i++) {
    const s = start[i];
    const e = s + dur[i];
    while (open.length > 0) {
      const top = open[open.length - 1];
      if (start[top] + dur[top] <= s + DEPTH_EPSILON_US && dur[top] > 0) {
        open.pop();
      } else if (dur[top] === 0 && start[top] < s) {
        open.pop();
      } else {
        break;
      }
    }
    let d = 0;
    for (let k = open.length - 1; k >= 0; k--) {
      const p = open[k];
      if (start[p] + dur[p] >= e - DEPTH_EPSILON_US) {
        d = depth[p] + 1;
        break;
      }
    }
    while (d < levelEnd.length && levelEnd[d] > s + DEPTH_EPSILON_US) {
      d++;
    }
    depth[i] = Math.min(d, 0xffff);
    levelEnd[d] = e;
    open.push(i);
  }
}
