/**
 * aiCoreFreq: did the NPU's AI Cores run below their clock while they worked?
 *
 * Measures: the `AI Core Freq` counter (MHz, written by torch_npu at Level1
 * and above) held over the device's busy time: its mean while the device
 * worked, against the highest frequency the trace records (the rated clock
 * of a card that reached it), and the busy time spent below that by
 * {@link MIN_DROP_SHARE} or more.
 * Why: a card that is too hot or at its power limit lowers the AI Core
 * clock, and every kernel then takes longer, whatever the code does
 * (msprof-analyze advisor "AI Core Frequency Issues", docs/tuning-rules.md
 * §3.3; 800 MHz is also the clock of an idle AI Core, which is why only busy
 * time counts).
 *
 *   AI Core Freq  1800 ─────┐ 1300 ┌──── 1800
 *   device busy   |==k1==|  |==k2==|  |=k3=|
 *                           ^ k2 ran at 72 % of the clock
 *
 * Pure module.
 */
import type { ICounterSeries, ITraceModel } from '../../trace/model';
import { busyOverlapUs, deviceBusy } from '../deviceBusy';
import type { IFinding, IHighlight, Severity } from '../finding';

/**
 * Drop of the mean busy-time frequency below the highest one from which the
 * check reports. Source: msprof-analyze advisor AI Core Frequency Issues
 * (mean frequency drop ≥ 5 %), docs/tuning-rules.md §3.3.
 */
export const MIN_DROP_SHARE = 0.05;

/** …and from which the finding is `medium` (below: `low`). Judgement: a 15 % slower device is felt. */
export const MEDIUM_DROP_SHARE = 0.15;

/** Most highlights returned (the stretches of lowered clock, longest first). */
export const MAX_HIGHLIGHTS = 50;

/** Process (lane) and key of the AI Core clock counter in torch_npu traces. */
const FREQ_NAME = 'AI Core Freq';
const FREQ_KEY = 'MHz';

/**
 * The AI Core Freq series of an Ascend trace, or undefined. torch_npu writes
 * one trace per device (rank), so one series describes the device of the
 * whole trace.
 */
function frequencySeries(model: ITraceModel): ICounterSeries | undefined {
  return model.counters.series.find(s => s.name === FREQ_NAME && s.key === FREQ_KEY && s.count > 0);
}

/**
 * The AI Core frequency check.
 *
 * Variants:
 * - `not-applicable` (`ok`): facts `reason`: `not-ascend`, `no-counter` (no
 *   AI Core Freq samples: Level0, or no NPU activity) or `no-busy` (the
 *   device did no work while the clock was known).
 * - `steady` (`ok`): facts `meanMhz` (busy-time mean), `ratedMhz`.
 * - `throttled`: facts `meanMhz`, `ratedMhz`, `lowestMhz` (lowest clock
 *   while busy), `dropShare` (1 − meanMhz / ratedMhz), `busyUs` (busy time
 *   while the clock was known), `slowUs` (busy time while it was lowered by
 *   {@link MIN_DROP_SHARE} or more), `threshold` ({@link MIN_DROP_SHARE}).
 *   Severity `medium` from {@link MEDIUM_DROP_SHARE}, else `low`.
 *
 * Remedies: none in code; the card's cooling or power limit. `savingUs` is
 * `busyUs × dropShare`: what the busy time would shrink by at the rated
 * clock if the work scaled with it (an upper bound; memory-bound kernels
 * gain less).
 */
export function aiCoreFreq(model: ITraceModel): IFinding {
  const base = { id: 'ai-core-freq', highlights: [] as IHighlight[], remedies: [] as string[] };
  const notApplicable = (reason: string): IFinding => ({
    ...base,
    variant: 'not-applicable',
    severity: 'ok',
    savingUs: 0,
    facts: { reason }
  });
  if (model.backend !== 'ascend') {
    return notApplicable('not-ascend');
  }
  const series = frequencySeries(model);
  if (series === undefined) {
    return notApplicable('no-counter');
  }
  const { time, value } = model.counters;
  const busy = deviceBusy(model).union;
  const last = series.first + series.count - 1;
  let ratedMhz = 0;
  for (let k = series.first; k <= last; k++) {
    ratedMhz = Math.max(ratedMhz, value[k]);
  }
  // One pass over the stretches where each sample held: their busy time
  // weighs the mean, and the lowered ones are the evidence.
  let busyUs = 0;
  let busyMhzUs = 0;
  let slowUs = 0;
  let lowestMhz = Infinity;
  const slow: IHighlight[] = [];
  for (let k = series.first; k <= last; k++) {
    const from = time[k];
    const to = Math.min(k < last ? time[k + 1] : Infinity, model.spanUs);
    const heldBusyUs = busyOverlapUs(busy, from, to);
    if (heldBusyUs <= 0) {
      continue;
    }
    busyUs += heldBusyUs;
    busyMhzUs += heldBusyUs * value[k];
    lowestMhz = Math.min(lowestMhz, value[k]);
    if (value[k] <= ratedMhz * (1 - MIN_DROP_SHARE)) {
      slowUs += heldBusyUs;
      slow.push({ start: Math.max(0, from), end: to, lane: '', name: `${value[k]} MHz` });
    }
  }
  if (busyUs <= 0) {
    return notApplicable('no-busy');
  }
  const meanMhz = busyMhzUs / busyUs;
  const dropShare = ratedMhz > 0 ? 1 - meanMhz / ratedMhz : 0;
  if (dropShare < MIN_DROP_SHARE) {
    return {
      ...base,
      variant: 'steady',
      severity: 'ok',
      savingUs: 0,
      facts: { meanMhz, ratedMhz }
    };
  }
  const severity: Severity = dropShare >= MEDIUM_DROP_SHARE ? 'medium' : 'low';
  return {
    ...base,
    variant: 'throttled',
    severity,
    savingUs: busyUs * dropShare,
    facts: {
      meanMhz,
      ratedMhz,
      lowestMhz,
      dropShare,
      busyUs,
      slowUs,
      threshold: MIN_DROP_SHARE
    },
    highlights: slow.sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, MAX_HIGHLIGHTS)
  };
}
