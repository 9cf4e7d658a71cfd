/**
 * formatCast: device time spent converting tensor layouts (TransData).
 *
 * Measures: device kernels that convert between the ND layout and the NPU's
 * private formats (NZ, 5HD): names containing `TransData`
 * (`trans_TransData_12`, `aclnnMm_TransData_TransData`,
 * `aclnnMaxPool2dWithMask_TransDataSpecial_TransData`), plus the other
 * conversions the graph inserts, named `trans_…` (`trans_Cast_7`); their
 * count, time, and share of the device's kernel time.
 * Why: with `allow_internal_format=True`, private formats flow between
 * operators, and each disagreement on layout costs a TransData kernel
 * (docs/tuning-rules.md §4.3; compare_tools counts them as "Vector (Trans)").
 *
 *   stream | Conv2D |TransData| MaxPool |TransData| Conv2D |
 *                   ^ layout conversion, no math
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex } from '../../trace/model';
import { WORK_KINDS } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import { isDeviceWork } from '../deviceBusy';

/**
 * Conversion time below which the check passes (µs). Source: our choice;
 * a tenth of a millisecond of conversions in a cell is noise next to its
 * dispatch overhead.
 */
export const MIN_CAST_US = 100;

/**
 * Share of the device's kernel time spent converting from which the finding
 * is `high`. Source: our choice, as sync-wait's `HIGH_WAIT_SHARE`.
 */
export const HIGH_CAST_SHARE = 0.2;

/**
 * …and `medium`. Source: msprof-analyze priority (≥ 5 % is high there,
 * docs/tuning-rules.md §2.1); conversion time is device time that may
 * overlap host work, so we rank it one step lower.
 */
export const MEDIUM_CAST_SHARE = 0.05;

/** Most highlights returned (longest kernels first). */
export const MAX_HIGHLIGHTS = 50;

/** Layout conversions (TransData, TransDataSpecial, …). */
const TRANS_DATA = /TransData/;

/** Conversions the graph inserts (`trans_TransData_12`, `trans_Cast_7`). */
const INSERTED = /^trans_/;

const KERNEL = WORK_KINDS.indexOf('kernel');

/**
 * The format-cast check.
 *
 * Variants:
 * - `not-applicable` (`ok`): facts `reason`: `not-ascend` or `no-device`.
 * - `none` (`ok`): conversions below {@link MIN_CAST_US}. Facts `kernels`,
 *   `castUs`.
 * - `casts`: facts `kernels` (conversion kernels), `castUs` (their time),
 *   `transDataKernels` / `transDataUs` (the layout conversions among them),
 *   `otherKernels` / `otherUs` (other `trans_` conversions, e.g. casts),
 *   `kernelUs` (all device kernel time), `kernelShare` (castUs / kernelUs),
 *   `spanShare`, `topKernel` (conversion kernel name with the most time,
 *   without its trailing number), `topKernelUs`. Severity by `kernelShare`.
 *
 * Remedy `ascend-internal-format-off`. `savingUs` is `transDataUs`: the most
 * keeping tensors in ND can remove (other casts stay).
 */
export function formatCast(model: ITraceModel): IFinding {
  const base = { id: 'format-cast', highlights: [] as IHighlight[] };
  const onDevice = model.lanes.map(l => l.kind === 'device');
  if (model.backend !== 'ascend' || !onDevice.some(Boolean)) {
    return {
      ...base,
      variant: 'not-applicable',
      severity: 'ok',
      savingUs: 0,
      facts: { reason: model.backend !== 'ascend' ? 'not-ascend' : 'no-device' },
      remedies: []
    };
  }
  const { slices, lanes, names } = model;
  const casts: SliceIndex[] = [];
  let kernelUs = 0;
  let transDataKernels = 0;
  let transDataUs = 0;
  let castUs = 0;
  const byName = new Map<string, number>();
  for (let i = 0; i < slices.count; i++) {
    if (!onDevice[slices.lane[i]] || !isDeviceWork(slices.work[i])) {
      continue;
    }
    if (slices.work[i] === KERNEL) {
      kernelUs += slices.dur[i];
    }
    const name = names[slices.name[i]];
    const transData = TRANS_DATA.test(name);
    if (!transData && !INSERTED.test(name)) {
      continue;
    }
    casts.push(i);
    castUs += slices.dur[i];
    if (transData) {
      transDataKernels++;
      transDataUs += slices.dur[i];
    }
    // trans_TransData_12 and trans_TransData_13 are the same conversion at two places.
    const family = name.replace(/_\d+(_MemSet)?$/, '$1');
    byName.set(family, (byName.get(family) ?? 0) + slices.dur[i]);
  }
  if (castUs < MIN_CAST_US) {
    return {
      ...base,
      variant: 'none',
      severity: 'ok',
      savingUs: 0,
      facts: { kernels: casts.length, castUs },
      remedies: []
    };
  }
  let topKernel = '';
  let topKernelUs = 0;
  for (const [name, us] of byName) {
    if (us > topKernelUs) {
      topKernel = name;
      topKernelUs = us;
    }
  }
  const kernelShare = kernelUs > 0 ? Math.min(1, castUs / kernelUs) : 0;
  const severity: Severity =
    kernelShare >= HIGH_CAST_SHARE
      ? 'high'
      : kernelShare >= MEDIUM_CAST_SHARE
        ? 'medium'
        : 'low';
  return {
    ...base,
    variant: 'casts',
    severity,
    savingUs: transDataUs,
    facts: {
      kernels: casts.length,
      castUs,
      transDataKernels,
      transDataUs,
      otherKernels: casts.length - transDataKernels,
      otherUs: castUs - transDataUs,
      kernelUs,
      kernelShare,
      spanShare: model.spanUs > 0 ? Math.min(1, castUs / model.spanUs) : 0,
      topKernel,
      topKernelUs
    },
    highlights: [...casts]
      .sort((a, b) => slices.dur[b] - slices.dur[a])
      .slice(0, MAX_HIGHLIGHTS)
      .map(i => ({
        start: slices.start[i],
        end: slices.start[i] + slices.dur[i],
        lane: lanes[slices.lane[i]].label,
        name: names[slices.name[i]]
      })),
    remedies: transDataKernels > 0 ? ['ascend-internal-format-off'] : []
  };
}
