/**
 * dataloader: training steps waiting for the next batch from the DataLoader.
 *
 * Measures: framework operators on host lanes whose name contains
 * `dataloader` (any case), e.g.
 * `enumerate(DataLoader)#_SingleProcessDataLoaderIter.__next__`: how many
 * took longer than {@link SLOW_LOAD_US}, their total and longest time, and
 * their share of the run.
 * Why: while `__next__` runs, the training loop has no batch and the device
 * idles. A fetch that slow means loading and preprocessing are not hidden
 * behind compute: too few workers (`num_workers=0` loads in the training
 * process itself), no prefetch, slow storage or archives
 * (docs/tuning-rules.md §3.1 Slow Dataloader).
 *
 *   host   | __next__ ..................| fwd | bwd | __next__ ................|
 *   device |                            |kkkkkkkkkk|                          |kk
 *                                       ^ the device waits for each batch
 *
 * Only `op` slices count: with `with_stack=True` the Python frames of
 * `torch/utils/data/dataloader.py` wrap the same fetch and would count its
 * time again; a DataLoader op nested in another one on its lane (a
 * user_annotation around a cpu_op) counts once, as the outer one.
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex } from '../../trace/model';
import { WORK_KINDS } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';

/**
 * A DataLoader fetch is slow from this duration (µs, exclusive). Source:
 * msprof-analyze advisor Slow Dataloader (`dataloader_duration_threshold`,
 * 10 000 µs), docs/tuning-rules.md §3.1.
 */
export const SLOW_LOAD_US = 10_000;

/**
 * Share of the run in slow fetches from which the finding is `high`.
 * Source: msprof-analyze priority (≥ 5 % of step time), docs/tuning-rules.md §2.1.
 */
export const HIGH_LOAD_SHARE = 0.05;

/** …and `medium`. Source: msprof-analyze priority (≥ 3 %), docs/tuning-rules.md §2.1. */
export const MEDIUM_LOAD_SHARE = 0.03;

/** Most highlights returned (longest fetches first). */
export const MAX_HIGHLIGHTS = 50;

/** DataLoader operators, as msprof-analyze matches them. */
const DATALOADER = /dataloader/i;

const OP = WORK_KINDS.indexOf('op');

/**
 * How a DataLoader iterator name says the batches are loaded:
 * `single-process` (`_SingleProcessDataLoaderIter`, num_workers=0),
 * `multi-process` (`_MultiProcessingDataLoaderIter`), or '' when it does
 * not say.
 */
export function loaderKind(name: string): string {
  if (/SingleProcess/i.test(name)) {
    return 'single-process';
  }
  return /MultiProcess/i.test(name) ? 'multi-process' : '';
}

/**
 * The slow-DataLoader check. Applies to every backend: the wait is on the
 * host, whatever the device.
 *
 * Variants:
 * - `none` (`ok`): no DataLoader fetch longer than {@link SLOW_LOAD_US}.
 *   Facts `loads` (DataLoader operators found), `maxUs` (the longest, 0 if
 *   none), `threshold`.
 * - `slow`: facts `slow` (fetches above {@link SLOW_LOAD_US}), `loads`,
 *   `totalUs` (time of the slow ones), `maxUs`, `topName` (name of the
 *   longest), `loader` ({@link loaderKind} of it), `spanShare` (totalUs /
 *   run, 0..1), `threshold`. Severity by `spanShare`; `low` below
 *   {@link MEDIUM_LOAD_SHARE}.
 *
 * Remedies: none; the fix is a code change to the DataLoader (num_workers,
 * pin_memory, persistent_workers, prefetch_factor) or to the storage.
 * `savingUs` is `totalUs`: the upper bound reached if workers prepared every
 * batch while the previous step computed.
 */
export function dataloader(model: ITraceModel): IFinding {
  const base = {
    id: 'dataloader',
    highlights: [] as IHighlight[],
    remedies: [] as string[]
  };
  const { slices, lanes, names } = model;
  const onHost = lanes.map(l => l.kind === 'host');
  const isLoader = names.map(n => DATALOADER.test(n));
  const loads: SliceIndex[] = [];
  // Slices are sorted by lane then start, so the last outer fetch is the only
  // one a later slice on the same lane can be nested in.
  let outerLane = -1;
  let outerEnd = -Infinity;
  for (let i = 0; i < slices.count; i++) {
    if (!onHost[slices.lane[i]] || slices.work[i] !== OP || !isLoader[slices.name[i]]) {
      continue;
    }
    if (slices.lane[i] === outerLane && slices.start[i] < outerEnd) {
      continue;
    }
    loads.push(i);
    outerLane = slices.lane[i];
    outerEnd = slices.start[i] + slices.dur[i];
  }
  const maxUs = loads.reduce((max, i) => Math.max(max, slices.dur[i]), 0);
  const slow = loads.filter(i => slices.dur[i] > SLOW_LOAD_US);
  if (slow.length === 0) {
    return {
      ...base,
      variant: 'none',
      severity: 'ok',
      savingUs: 0,
      facts: { loads: loads.length, maxUs, threshold: SLOW_LOAD_US }
    };
  }

  const ranked = [...slow].sort((a, b) => slices.dur[b] - slices.dur[a]);
  const topName = names[slices.name[ranked[0]]];
  const totalUs = slow.reduce((sum, i) => sum + slices.dur[i], 0);
  const spanShare = model.spanUs > 0 ? Math.min(1, totalUs / model.spanUs) : 0;
  const severity: Severity =
    spanShare >= HIGH_LOAD_SHARE
      ? 'high'
      : spanShare >= MEDIUM_LOAD_SHARE
        ? 'medium'
        : 'low';
  return {
    ...base,
    variant: 'slow',
    severity,
    savingUs: totalUs,
    facts: {
      slow: slow.length,
      loads: loads.length,
      totalUs,
      maxUs,
      topName,
      loader: loaderKind(topName),
      spanShare,
      threshold: SLOW_LOAD_US
    },
    highlights: ranked.slice(0, MAX_HIGHLIGHTS).map(i => ({
      start: slices.start[i],
      end: slices.start[i] + slices.dur[i],
      lane: lanes[slices.lane[i]].label,
      name: names[slices.name[i]]
    }))
  };
}
