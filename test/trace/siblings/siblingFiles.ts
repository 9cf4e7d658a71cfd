/**
 * The real sibling files of the public Ascend profiles, for the sibling
 * parser tests: four torch_npu variants (Level0/1/2 of early 2025, and the
 * newest with `Device_id` columns from torch_npu 2.7.1 / CANN 8.3.RC1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { publicTrace } from '../../publicTraces';

/** `*_ascend_pt` folders of the public profiles, by variant. */
export const ASCEND_RUNS = {
  level0: 'ascend-msinsight/level0/rank0_ascend_pt',
  level1: 'ascend-msinsight/level1/rank0_ascend_pt',
  level2: 'ascend-msinsight/level2/rank0_ascend_pt',
  stLevel2: 'ascend-msinsight/st_level2/rank_0_ascend_pt'
} as const;

/** A variant of {@link ASCEND_RUNS}. */
export type AscendRun = keyof typeof ASCEND_RUNS;

/** Absolute folder of a run. */
export function runDir(run: AscendRun): string {
  return publicTrace(ASCEND_RUNS[run]);
}

/** Text of a file of a run, by path relative to its `*_ascend_pt` folder. */
export function siblingText(run: AscendRun, relative: string): string {
  return fs.readFileSync(path.join(runDir(run), relative), 'utf8');
}

/** Text of a file of a run's ASCEND_PROFILER_OUTPUT folder. */
export function outputText(run: AscendRun, name: string): string {
  return siblingText(run, `ASCEND_PROFILER_OUTPUT/${name}`);
}
