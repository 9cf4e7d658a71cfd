/**
 * timeBreakdown: where the time of the run went, in a few buckets a user can
 * compare between runs and devices.
 *
 * Device side, a partition of the trace span (each instant counted once, in
 * this order of precedence: compute, then communication, then copies, else
 * idle):
 *
 *   compute  |==k1==|      |==k2==|
 *   comm         |====hcom====|
 *   copy                           |cp|
 *   →        |compute|comm|compute|copy|idle...|
 *
 * Host side (not a partition): time blocked waiting for the device (the
 * sync-wait ranges) and time in online operator compilation.
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex, Us } from '../trace/model';
import { WORK_KINDS } from '../trace/model';
import {
  DEVICE_LANE_KINDS,
  deviceBusy,
  isDeviceWork,
  mergeSortedIntervals
} from './deviceBusy';
import { deviceIdle } from './deviceIdle';
import { findSyncWaits } from './rules/syncWait';

/** Where the time went. All values µs. */
export interface ITimeBreakdown {
  /** The trace span the device buckets partition. */
  spanUs: Us;
  /** Device computing (kernels, AI Core/Vector/CPU tasks). */
  computeUs: Us;
  /** Device communicating and not computing. */
  commUs: Us;
  /** Device copying and neither computing nor communicating. */
  copyUs: Us;
  /** Device doing nothing (span minus the three above); the whole span without a device. */
  idleUs: Us;
  /** Host blocked waiting for the device (sync-wait ranges, summed). */
  syncWaitUs: Us;
  /** Host in online operator compilation (union of compile slices). */
  compileUs: Us;
  /**
   * Why the device idled inside the profiled window (the steps, else the
   * device's first to last work): no work queued yet, draining a host sync,
   * between back-to-back kernels, other. Absent without device work.
   */
  idleCauses?: {
    windowUs: Us;
    windowSource: 'steps' | 'device';
    dispatchUs: Us;
    syncUs: Us;
    kernelGapUs: Us;
    otherUs: Us;
  };
}

const COMM = WORK_KINDS.indexOf('comm');
const COPY = WORK_KINDS.indexOf('copy');
const COMPILE = WORK_KINDS.indexOf('compile');

/** The time breakdown of a trace. */
export function timeBreakdown(model: ITraceModel): ITimeBreakdown {
  const busy = deviceBusy(model);
  const { slices, lanes } = model;
  const compute: SliceIndex[] = [];
  const computeComm: SliceIndex[] = [];
  const compile: SliceIndex[] = [];
  for (let i = 0; i < slices.count; i++) {
    const w = slices.work[i];
    if (w === COMPILE) {
      compile.push(i);
    }
    if (!DEVICE_LANE_KINDS.includes(lanes[slices.lane[i]].kind) || !isDeviceWork(w)) {
      continue;
    }
    const isComm = w === COMM || lanes[slices.lane[i]].kind === 'communication';
    if (!isComm && w !== COPY) {
      compute.push(i);
    }
    if (isComm || w !== COPY) {
      computeComm.push(i);
    }
  }
  const ends = new Float64Array(slices.count);
  for (let i = 0; i < slices.count; i++) {
    ends[i] = slices.start[i] + slices.dur[i];
  }
  const union = (list: SliceIndex[]): Us => {
    list.sort((a, b) => slices.start[a] - slices.start[b]);
    return mergeSortedIntervals(list, slices.start, ends).totalUs;
  };
  const computeUs = union(compute);
  const computeCommUs = union(computeComm);
  const allUs = busy.hasDevice ? busy.union.totalUs : 0;
  const waits = findSyncWaits(model);
  const idle = deviceIdle(model);
  return {
    idleCauses: idle
      ? {
          windowUs: idle.windowEnd - idle.windowStart,
          windowSource: idle.windowSource,
          dispatchUs: idle.byCause.dispatch,
          syncUs: idle.byCause.sync,
          kernelGapUs: idle.byCause.kernelGap,
          otherUs: idle.byCause.other
        }
      : undefined,
    spanUs: model.spanUs,
    computeUs,
    commUs: Math.max(0, computeCommUs - computeUs),
    copyUs: Math.max(0, allUs - computeCommUs),
    idleUs: Math.max(0, model.spanUs - allUs),
    syncWaitUs: waits.reduce((t, w) => t + w.waitUs, 0),
    compileUs: union(compile)
  };
}
