/**
 * Settings that act the same on every backend (plain Python). Source:
 * tuning-rules.md §3.1 (msprof-analyze GC Analysis remedies) and §4.4 (gc
 * calls act at runtime), and the Python docs for `gc.freeze`
 * (https://docs.python.org/3/library/gc.html#gc.freeze).
 */
import type { IRemedy } from '../remedies';

/** Backend-neutral settings, by id, in the order a remedy cell applies them. */
export const GENERAL_REMEDIES: Record<string, IRemedy> = {
  'python-gc-freeze': {
    id: 'python-gc-freeze',
    // IRemedy has no backend-neutral value; 'cuda' keeps the cell free of
    // `import torch_npu`, and the code needs neither torch nor torch_npu.
    backend: 'cuda',
    title: 'Freeze the objects alive now out of Python\'s garbage collector (gc.freeze)',
    restart: 'none',
    comment: [
      'Collect once, then move every object alive now (model, parameters, modules) to a permanent',
      'generation that later collections skip, so GC pauses get shorter. Takes effect at once, no',
      'restart. Run it after the model is loaded; objects created later are still collected.'
    ],
    code: ['import gc', 'gc.collect()', 'gc.freeze()'],
    imports: []
  }
};
