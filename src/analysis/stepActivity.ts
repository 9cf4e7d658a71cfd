/**
 * stepActivity: what the device did in each profiler step, on a time axis that
 * starts at the step's start, coarse enough to keep with every profile.
 *
 * Why: the user compares devices ("1.0 s on the GPU, 1.5 s on the NPU") and
 * runs ("before, after TASK_QUEUE_ENABLE=2"). Whole-run totals say how much;
 * steps laid side by side on a shared "time since step start" axis say where:
 * the NPU step that idles for its first 40 % while the host dispatches, next
 * to the GPU step that is busy from the start.
 *
 * Each step is cut into {@link STEP_BINS} equal bins. A bin records the share
 * of it in which the device was busy (union of all its streams, so overlapping
 * streams count once) and the kind of work that took most of that time. A
 * profile without a device (CPU-only) records the host's framework operators
 * instead, the CPU being its device. A trace without `ProfilerStep#N` windows
 * counts as one step spanning the whole trace.
 *
 *   step 1    |cccc....cccccmmm..cc|  c compute, m communication, y copy,
 *   step 2    |ccccc..ccccccmmm.ccc|  h host operators (CPU-only), . idle
 *
 * The bins of a step are strings (one character each) so a profile's steps
 * take a few hundred bytes in the notebook's metadata.
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex, Us } from '../trace/model';
import { WORK_KINDS } from '../trace/model';
import {
  busyOverlapUs,
  DEVICE_LANE_KINDS,
  deviceBusy,
  deviceSlicesOverlapping,
  mergeSortedIntervals,
  type IDeviceBusy,
  type IIntervals
} from './deviceBusy';

/** Equal bins per step: enough to see a 5 % gap, small enough to store with every profile. */
export const STEP_BINS = 50;

/** Steps kept per profile (the first ones, in time order). */
export const MAX_STEP_ACTIVITIES = 8;

/** What a bin's busy time mostly was. */
export type StepWork = 'compute' | 'comm' | 'copy' | 'host';

/** The character of each {@link StepWork} in {@link IStepActivity.work}; idle bins are `.`. */
export const STEP_WORK_CODES: Readonly<Record<StepWork, string>> = {
  compute: 'c',
  comm: 'm',
  copy: 'y',
  host: 'h'
};

/** Share of a bin below which an overlap is float rounding at its edge, not work. */
const EDGE_ROUNDING_SHARE = 1e-9;

/** Character of a bin in which nothing ran. */
export const IDLE_CODE = '.';

/** One step's activity. */
export interface IStepActivity {
  /** Step name as written ("ProfilerStep#3"), or "" for the whole trace. */
  name: string;
  /** Step duration, µs. */
  durUs: Us;
  /** Busy time (union) in the step, µs. */
  busyUs: Us;
  /** One character per bin: the main work ({@link STEP_WORK_CODES}) or {@link IDLE_CODE}. */
  work: string;
  /** One digit per bin: busy share, 0 (idle) to 9 (all of it); any work at all is at least 1. */
  busy: string;
}

const COMM = WORK_KINDS.indexOf('comm');
const COPY = WORK_KINDS.indexOf('copy');
const OP = WORK_KINDS.indexOf('op');

/** Order of {@link StepWork} in the per-bin accumulators. */
const WORKS: readonly StepWork[] = ['compute', 'comm', 'copy', 'host'];

/**
 * The activity of the first {@link MAX_STEP_ACTIVITIES} steps of a trace.
 *
 * @returns One entry per step; one entry for the whole trace when it has no steps; [] for an
 *   empty trace.
 */
export function stepActivity(model: ITraceModel): IStepActivity[] {
  const busy = deviceBusy(model);
  const steps = model.steps.filter(s => s.dur > 0);
  const windows =
    steps.length > 0
      ? steps.slice(0, MAX_STEP_ACTIVITIES)
      : [{ name: '', start: 0, dur: model.spanUs }];
  const source = busy.hasDevice ? Private.deviceSource(model, busy) : Private.hostSource(model);
  return windows
    .filter(w => w.dur > 0)
    .map(w => Private.binStep(model, source, w.name, w.start, w.dur));
}

namespace Private {
  /** Where the busy time of a window comes from. */
  export interface IBusySource {
    /** Union of the busy time. */
    union: IIntervals;
    /** Slices overlapping [a, b], in start order. */
    overlapping(a: Us, b: Us): SliceIndex[];
    /** What kind of work slice i is. */
    workOf(i: SliceIndex): StepWork;
  }

  /** Device work on device and communication lanes. */
  export function deviceSource(model: ITraceModel, busy: IDeviceBusy): IBusySource {
    const { slices, lanes } = model;
    return {
      union: busy.union,
      overlapping: (a, b) => deviceSlicesOverlapping(busy, model, a, b),
      workOf: i => {
        const w = slices.work[i];
        if (w === COMM || lanes[slices.lane[i]].kind === 'communication') {
          return 'comm';
        }
        return w === COPY ? 'copy' : 'compute';
      }
    };
  }

  /** Framework operators on host lanes: the CPU's work when there is no device. */
  export function hostSource(model: ITraceModel): IBusySource {
    const { slices, lanes } = model;
    const ops: SliceIndex[] = [];
    for (let i = 0; i < slices.count; i++) {
      if (slices.work[i] === OP && !DEVICE_LANE_KINDS.includes(lanes[slices.lane[i]].kind)) {
        ops.push(i);
      }
    }
    ops.sort((a, b) => slices.start[a] - slices.start[b]);
    const ends = new Float64Array(slices.count);
    for (const i of ops) {
      ends[i] = slices.start[i] + slices.dur[i];
    }
    const union = mergeSortedIntervals(ops, slices.start, ends);
    return {
      union,
      // Few steps, host ops in the thousands: a scan per step is cheap enough.
      overlapping: (a, b) =>
        ops.filter(i => slices.start[i] < b && slices.start[i] + slices.dur[i] > a),
      workOf: () => 'host'
    };
  }

  /** Bins one step window. */
  export function binStep(
    model: ITraceModel,
    source: IBusySource,
    name: string,
    start: Us,
    dur: Us
  ): IStepActivity {
    const width = dur / STEP_BINS;
    // Time per bin per work kind; streams may overlap, so this only picks the main kind.
    const byWork = new Float64Array(STEP_BINS * WORKS.length);
    const { slices } = model;
    for (const i of source.overlapping(start, start + dur)) {
      const a = Math.max(slices.start[i], start) - start;
      const b = Math.min(slices.start[i] + slices.dur[i], start + dur) - start;
      const work = WORKS.indexOf(source.workOf(i));
      const last = Math.min(STEP_BINS - 1, Math.floor(b / width));
      for (let bin = Math.floor(a / width); bin <= last; bin++) {
        const overlap = Math.min(b, (bin + 1) * width) - Math.max(a, bin * width);
        // Float rounding at bin edges leaves slivers in the neighbouring bin; they are not work.
        if (overlap > width * EDGE_ROUNDING_SHARE) {
          byWork[bin * WORKS.length + work] += overlap;
        }
      }
    }
    let work = '';
    let busyDigits = '';
    for (let bin = 0; bin < STEP_BINS; bin++) {
      const from = start + bin * width;
      const raw = busyOverlapUs(source.union, from, from + width) / width;
      const share = raw > EDGE_ROUNDING_SHARE ? raw : 0;
      let main = -1;
      let mainUs = 0;
      for (let k = 0; k < WORKS.length; k++) {
        if (byWork[bin * WORKS.length + k] > mainUs) {
          main = k;
          mainUs = byWork[bin * WORKS.length + k];
        }
      }
      const digit = share > 0 ? Math.max(1, Math.min(9, Math.round(share * 9))) : 0;
      work += main < 0 || digit === 0 ? IDLE_CODE : STEP_WORK_CODES[WORKS[main]];
      busyDigits += main < 0 ? '0' : String(digit);
    }
    return {
      name,
      durUs: dur,
      busyUs: busyOverlapUs(source.union, start, start + dur),
      work,
      busy: busyDigits
    };
  }
}
