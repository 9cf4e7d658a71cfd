/**
 * pageableMemcpy: host↔device copies from or to pageable (not pinned) host
 * memory.
 *
 * Measures: device copy slices whose name says Pageable (Kineto: "Memcpy HtoD
 * (Pageable -> Device)", "Memcpy DtoH (Device -> Pageable)"), their device
 * time, and the host calls that launched them (cudaMemcpyAsync).
 * Why: the driver stages a pageable copy through a pinned bounce buffer, so
 * it is slower and the "async" call blocks the host until the data has been
 * staged (Nsight Systems `cuda_memcpy_async` rule, docs/tuning-rules.md §5.4).
 * Pinned memory (`pin_memory=True`, `.pin_memory()`) plus
 * `.to(device, non_blocking=True)` lets the copy run while the host goes on.
 *
 *   host   |cudaMemcpyAsync (pageable: blocks)......|launch|
 *   device |                 |==Memcpy HtoD (Pageable -> Device)==|
 *
 * The reader keeps no copy sizes, so the finding speaks in time, not bytes.
 * Ascend device copies (MEMCPY_ASYNC, SDMA) do not name the host memory
 * kind, so there the check cannot tell.
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex } from '../../trace/model';
import { WORK_KINDS } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import { DEVICE_LANE_KINDS, hasDeviceLanes } from '../deviceBusy';

/**
 * Cost below which the check passes (µs). Source: our choice, the floor of
 * the other host-side rules: a millisecond in a whole cell is not worth a
 * code change.
 */
export const MIN_COST_US = 1_000;

/** Share of the trace span from which the finding is `high`. Source: our choice, as sync-wait. */
export const HIGH_COST_SHARE = 0.2;

/**
 * …from which it is `medium`, below it `low`. Source: msprof-analyze advisor
 * priority (≥ 5 % of step time; docs/tuning-rules.md §2.1).
 */
export const MEDIUM_COST_SHARE = 0.05;

/** Most highlights returned (longest copies first). */
export const MAX_HIGHLIGHTS = 50;

/** Kineto names a pageable copy's host side in the device slice's name. */
const PAGEABLE = /pageable/i;

/** Host-to-device direction, as Kineto and HIP name it. */
const HOST_TO_DEVICE = /HtoD|Host\s*->\s*Device|Pageable\s*->\s*Device/i;

const COPY = WORK_KINDS.indexOf('copy');

/**
 * The pageable-memcpy check.
 *
 * Variants:
 * - `not-applicable` (`ok`): no device lanes, or an Ascend trace (copy names
 *   do not say pageable); facts {}.
 * - `none` (`ok`): cost below {@link MIN_COST_US}; facts `copies`, `costUs`.
 * - `pageable`: `low` / `medium` / `high` by share of the trace span.
 *
 * Facts of `pageable`: `copies`, `costUs`, `htodCopies`, `htodDeviceUs`,
 * `htodHostUs` (host time in the calls that launched them), `dtohCopies`,
 * `dtohDeviceUs`, `spanShare`.
 *
 * `costUs` (= `savingUs`, an upper bound) is, for host-to-device copies, the
 * host time blocked in their calls (pinned + non_blocking returns at once);
 * for device-to-host copies only the device copy time: the wait before such a
 * copy is sync-wait's, not this rule's.
 */
export function pageableMemcpy(model: ITraceModel): IFinding {
  const base = { id: 'pageable-memcpy', highlights: [], remedies: [] };
  if (!hasDeviceLanes(model) || model.backend === 'ascend') {
    return {
      ...base,
      variant: 'not-applicable',
      severity: 'ok',
      savingUs: 0,
      facts: {}
    };
  }
  const { slices, lanes, links, names } = model;
  const onDevice = lanes.map(l => DEVICE_LANE_KINDS.includes(l.kind));
  const hostOf = new Map<SliceIndex, SliceIndex>();
  for (let k = 0; k < links.count; k++) {
    const from = links.from[k];
    if (!onDevice[slices.lane[from]]) {
      hostOf.set(links.to[k], from);
    }
  }
  let htodCopies = 0;
  let htodDeviceUs = 0;
  let htodHostUs = 0;
  let dtohCopies = 0;
  let dtohDeviceUs = 0;
  const found: { slice: SliceIndex; cost: number }[] = [];
  for (let i = 0; i < slices.count; i++) {
    if (
      slices.work[i] !== COPY ||
      !onDevice[slices.lane[i]] ||
      !PAGEABLE.test(names[slices.name[i]])
    ) {
      continue;
    }
    const dur = slices.dur[i];
    if (HOST_TO_DEVICE.test(names[slices.name[i]])) {
      const host = hostOf.get(i);
      // Without its host call, the device time is the best we can say.
      const hostUs = host === undefined ? dur : slices.dur[host];
      htodCopies++;
      htodDeviceUs += dur;
      htodHostUs += hostUs;
      found.push({ slice: i, cost: hostUs });
    } else {
      dtohCopies++;
      dtohDeviceUs += dur;
      found.push({ slice: i, cost: dur });
    }
  }
  const copies = htodCopies + dtohCopies;
  const costUs = htodHostUs + dtohDeviceUs;
  if (costUs < MIN_COST_US) {
    return {
      ...base,
      variant: 'none',
      severity: 'ok',
      savingUs: 0,
      facts: { copies, costUs }
    };
  }
  const spanShare = model.spanUs > 0 ? Math.min(1, costUs / model.spanUs) : 0;
  const severity: Severity =
    spanShare >= HIGH_COST_SHARE
      ? 'high'
      : spanShare >= MEDIUM_COST_SHARE
        ? 'medium'
        : 'low';
  const highlights: IHighlight[] = found
    .sort((a, b) => b.cost - a.cost)
    .slice(0, MAX_HIGHLIGHTS)
    .map(({ slice }) => ({
      start: slices.start[slice],
      end: slices.start[slice] + slices.dur[slice],
      lane: lanes[slices.lane[slice]].label,
      name: names[slices.name[slice]]
    }));
  return {
    ...base,
    variant: 'pageable',
    severity,
    savingUs: costUs,
    facts: {
      copies,
      costUs,
      htodCopies,
      htodDeviceUs,
      htodHostUs,
      dtohCopies,
      dtohDeviceUs,
      spanShare
    },
    highlights,
    // A code change (pin the host tensors, copy with non_blocking=True): no setting does it.
    remedies: []
  };
}
