/**
 * oncePerTrace: an analysis computed at its first use on a trace and shared
 * by everything that asks for it afterwards.
 *
 * The summary runs every rule on one model, and several of them start from
 * the same facts (the device's busy union, its idle gaps, the host's waits on
 * the device). Each of those costs a pass or a sort over every slice, so on a
 * trace of millions of slices computing it once instead of four times is
 * seconds saved. A model never changes once read, so the result stays right
 * for as long as the model lives, and goes with it (weakly held).
 *
 * Pure module.
 */
import type { ITraceModel } from '../trace/model';

/**
 * Wraps `compute` so that it runs once per model.
 *
 * @param compute A pure function of the model.
 * @returns The same function, answering later calls on a model with the
 *   first call's result (the same object: callers must not change it).
 */
export function oncePerTrace<T>(compute: (model: ITraceModel) => T): (model: ITraceModel) => T {
  const results = new WeakMap<ITraceModel, T>();
  return model => {
    if (!results.has(model)) {
      results.set(model, compute(model));
    }
    return results.get(model) as T;
  };
}
