/**
 * torchNpuVersion: is an installed torch_npu at least a given Ascend release?
 *
 * torch_npu is named two ways. Releases (and git branches) carry the Ascend
 * Extension version: `6.0.RC3`, `6.0.0`, `7.3.0`, `26.0.0` (branch
 * `v2.1.0-6.0.rc3`). The wheel, and so `torch_npu.__version__`, carries the
 * PyTorch version plus a post number: `2.1.0.post8`, `2.3.1.post2`, `2.4.0`,
 * `2.1.0.post8.dev20241009`, `2.7.1+gitabc`. Comparing the two needs the
 * release table of Ascend/pytorch (README "Ascend Auxiliary Software", which
 * maps each wheel to its release):
 *
 *   release   torch 2.1.0    torch 2.2.0    torch 2.3.1    torch 2.4.0
 *   6.0.RC2   2.1.0.post6    2.2.0.post2    2.3.1          –
 *   6.0.RC3   2.1.0.post8    –              2.3.1.post2    2.4.0
 *   6.0.0     2.1.0.post10   –              2.3.1.post4    2.4.0.post2
 *
 * Only the 6.0.RC3 boundary is encoded (the one the task-queue level needs,
 * docs/tuning-rules.md §4.1); every later torch line (2.5.1 onwards) started
 * after it, and 1.11, 2.0 and 2.2 never reached it.
 *
 * Pure module.
 */

/** Whether a version satisfies a minimum; `unknown` when the string cannot be read. */
export type VersionCheck = 'yes' | 'no' | 'unknown';

/**
 * First wheel post number of each torch line that belongs to release
 * 6.0.RC3 or later. Lines absent here and older than 2.4 never got 6.0.RC3.
 */
const FIRST_6_0_RC3_POST: Record<string, number> = {
  '2.1.0': 8,
  '2.3.1': 2,
  '2.4.0': 0
};

/**
 * Whether `version` (as torch_npu reports it, either naming) is 6.0.RC3 or
 * later, the release that parses TASK_QUEUE_ENABLE as a level (2 available),
 * adds CPU_AFFINITY_CONF, and makes `import torch_npu` force
 * TASK_QUEUE_ENABLE=0 in Jupyter.
 *
 * @param version e.g. `2.1.0.post10`, `6.0.rc3`, `6.0.RC3`, `2.7.1`, or '' when unknown.
 * @returns `unknown` for an empty or unreadable string.
 */
export function isTorchNpuAtLeast6RC3(version: string): VersionCheck {
  const v = version.trim().toLowerCase().replace(/^v/, '');
  // Ascend release naming: major ≥ 5 (5.0.x, 6.0.rcN, 7.x, 26.x).
  const release = /^(\d+)\.(\d+)\.(?:rc(\d+)|(\d+))/.exec(v);
  if (release && Number(release[1]) >= 5) {
    const major = Number(release[1]);
    const minor = Number(release[2]);
    if (major !== 6 || minor !== 0) {
      return major > 6 || (major === 6 && minor > 0) ? 'yes' : 'no';
    }
    // 6.0.rcN: from rc3; 6.0.N (final 6.0.0 and patches) came after rc3.
    return release[3] !== undefined
      ? Number(release[3]) >= 3
        ? 'yes'
        : 'no'
      : 'yes';
  }
  // Wheel naming: torch version, optional .postN (dev/local suffixes ignored).
  const wheel = /^(\d+)\.(\d+)\.(\d+)(?:\.post(\d+))?/.exec(v);
  if (!wheel) {
    return 'unknown';
  }
  const [major, minor] = [Number(wheel[1]), Number(wheel[2])];
  const line = `${wheel[1]}.${wheel[2]}.${wheel[3]}`;
  const post = wheel[4] !== undefined ? Number(wheel[4]) : 0;
  const first = FIRST_6_0_RC3_POST[line];
  if (first !== undefined) {
    return post >= first ? 'yes' : 'no';
  }
  if (major === 2 && minor >= 4) {
    // 2.4.x other than 2.4.0 and every later line came after 6.0.RC3.
    return 'yes';
  }
  if (major > 2) {
    return 'yes';
  }
  if (major === 1 || (major === 2 && minor <= 3)) {
    // 1.11, 2.0, 2.2 (last release 6.0.RC2), and any other pre-2.4 wheel.
    return 'no';
  }
  return 'unknown';
}
