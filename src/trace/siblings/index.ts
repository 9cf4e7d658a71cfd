/**
 * The files torch_npu writes beside `trace_view.json` in a `*_ascend_pt`
 * folder, read into compact facts for the checklist: profiler settings and
 * versions, recorded environment variables, the TASK_QUEUE_ENABLE=2 memory
 * component, per-step time split, device task and CANN API statistics.
 *
 * Which files are worth fetching is said here once ({@link siblingKind}), so
 * the page and the CLI fetch the same set. Each parser takes the file's text
 * and returns null for text of another format, never throwing.
 *
 * Pure module.
 */
import type { IAscendSiblings, ITraceModel } from '../model';
import { parseApiStatistic } from './apiStatistic';
import { parseKernelDetails } from './kernelDetails';
import { parseMemoryRecord } from './memoryRecord';
import { parseProfilerInfo } from './profilerInfo';
import { parseProfilerMetadata } from './profilerMetadata';
import { parseStepTraceTime } from './stepTraceTime';
import { integerText } from '../topLevelFacts';

export { parseApiStatistic } from './apiStatistic';
export { parseKernelDetails } from './kernelDetails';
export { parseMemoryRecord, WORKSPACE_COMPONENT } from './memoryRecord';
export type { IMemoryRecord } from './memoryRecord';
export { parseProfilerInfo } from './profilerInfo';
export { parseProfilerMetadata } from './profilerMetadata';
export type { IProfilerMetadata } from './profilerMetadata';
export { parseStepTraceTime } from './stepTraceTime';

/** Folder of a `*_ascend_pt` run that holds trace_view.json and the CSVs. */
export const ASCEND_OUTPUT_DIR = 'ASCEND_PROFILER_OUTPUT';

/** Kinds of sibling file this module reads. */
export type SiblingKind =
  | 'profiler_info'
  | 'profiler_metadata'
  | 'memory_record'
  | 'step_trace_time'
  | 'kernel_details'
  | 'api_statistic';

/**
 * Sibling files with a fixed name, relative to the `*_ascend_pt` folder.
 * `profiler_info_{rank}.json` (multi-card runs) has a rank in its name, so
 * list the folder and ask {@link siblingKind} to find it.
 */
export const SIBLING_FILE_NAMES: readonly string[] = [
  'profiler_info.json',
  'profiler_metadata.json',
  `${ASCEND_OUTPUT_DIR}/memory_record.csv`,
  `${ASCEND_OUTPUT_DIR}/step_trace_time.csv`,
  `${ASCEND_OUTPUT_DIR}/kernel_details.csv`,
  `${ASCEND_OUTPUT_DIR}/api_statistic.csv`
];

/**
 * Files larger than this are not worth fetching: kernel_details.csv of a long
 * run can reach hundreds of MB, more than a string in the worker should hold
 * for an aggregate.
 */
export const MAX_SIBLING_BYTES = 256 * 1024 * 1024;

/** profiler_info.json (single card) or profiler_info_{rank}.json. */
const PROFILER_INFO_NAME = /^profiler_info(_\d+)?\.json$/;

/** Kind of each CSV, by its base name. */
const CSV_KINDS: Readonly<Record<string, SiblingKind>> = {
  'memory_record.csv': 'memory_record',
  'step_trace_time.csv': 'step_trace_time',
  'kernel_details.csv': 'kernel_details',
  'api_statistic.csv': 'api_statistic'
};

/**
 * Which sibling a file is, from its path relative to the `*_ascend_pt`
 * folder ('profiler_info_0.json', 'ASCEND_PROFILER_OUTPUT/memory_record.csv';
 * `\` separators accepted). Returns null for files not worth reading (the
 * trace itself, other CSVs, raw PROF_* data).
 */
export function siblingKind(relativePath: string): SiblingKind | null {
  const parts = relativePath.split(/[\\/]/).filter(p => p !== '' && p !== '.');
  if (parts.length === 1) {
    if (PROFILER_INFO_NAME.test(parts[0])) {
      return 'profiler_info';
    }
    return parts[0] === 'profiler_metadata.json' ? 'profiler_metadata' : null;
  }
  if (parts.length === 2 && parts[0] === ASCEND_OUTPUT_DIR) {
    return CSV_KINDS[parts[1]] ?? null;
  }
  return null;
}

/** Whether a file (path relative to the `*_ascend_pt` folder) is worth fetching for {@link applySiblings}. */
export function isSiblingFile(relativePath: string): boolean {
  return siblingKind(relativePath) !== null;
}

/**
 * Kind of a key of {@link applySiblings}' `files`: a path relative to the
 * `*_ascend_pt` folder, or a bare file name ('memory_record.csv').
 */
function kindOfKey(key: string): SiblingKind | null {
  const base = key.split(/[\\/]/).pop() ?? '';
  return siblingKind(key) ?? siblingKind(base) ?? siblingKind(`${ASCEND_OUTPUT_DIR}/${base}`);
}

/**
 * Read the sibling files of an Ascend trace into the model's metadata.
 *
 * Fills `meta.ascend`, adds recorded environment variables to `meta.env` and
 * the torch_npu / CANN versions to `meta.versions` (keys `torch_npu`, `cann`),
 * keeping any value the model already has. A file that is not of the format
 * its name says is skipped with a warning; unknown names are ignored.
 *
 * @param model The model of the trace the files belong to; changed in place.
 * @param files File text by name ('profiler_metadata.json',
 *   'profiler_info_0.json', 'ASCEND_PROFILER_OUTPUT/memory_record.csv' or 'memory_record.csv').
 */
export function applySiblings(model: ITraceModel, files: Record<string, string>): void {
  const ascend: IAscendSiblings = { ...model.meta.ascend, files: [...(model.meta.ascend?.files ?? [])] };
  const meta = model.meta;
  const addIfAbsent = (target: Record<string, string>, key: string, value: string | undefined) => {
    if (value !== undefined && !(key in target)) {
      target[key] = value;
    }
  };
  // Sorted with numbers as numbers, so that with several profiler_info_{rank}.json the lowest
  // rank wins every time (profiler_info_2 before profiler_info_10).
  for (const key of Object.keys(files).sort(Private.byNameAndNumber)) {
    const kind = kindOfKey(key);
    if (kind === null) {
      continue;
    }
    const text = files[key];
    let understood = true;
    switch (kind) {
      case 'profiler_info': {
        const config = parseProfilerInfo(text);
        if (config && !ascend.profilerConfig) {
          ascend.profilerConfig = config;
          addIfAbsent(meta.versions, 'torch_npu', config.torchNpuVersion);
          addIfAbsent(meta.versions, 'cann', config.cannVersion);
          // torch_npu writes -1 for a run outside a distributed job.
          const rankId = integerText(config.rankId);
          if (meta.rank === undefined && rankId !== undefined && rankId !== '-1') {
            meta.rank = rankId;
          }
        }
        understood = config !== null;
        break;
      }
      case 'profiler_metadata': {
        const metadata = parseProfilerMetadata(text);
        if (metadata) {
          for (const [name, value] of Object.entries(metadata.env)) {
            addIfAbsent(meta.env, name, value);
          }
          if (metadata.distributed) {
            ascend.distributed = metadata.distributed;
            const rank = integerText(metadata.distributed.rank);
            const worldSize = integerText(metadata.distributed.world_size);
            if (meta.rank === undefined && rank !== undefined) {
              meta.rank = rank;
            }
            if (meta.worldSize === undefined && worldSize !== undefined) {
              meta.worldSize = worldSize;
            }
          }
        }
        understood = metadata !== null;
        break;
      }
      case 'memory_record': {
        const memory = parseMemoryRecord(text);
        if (memory) {
          const { workspace, ...rest } = memory;
          ascend.taskQueueWorkspace = workspace;
          ascend.memory = rest;
        }
        understood = memory !== null;
        break;
      }
      case 'step_trace_time': {
        const steps = parseStepTraceTime(text);
        if (steps) {
          ascend.stepTrace = steps;
        }
        understood = steps !== null;
        break;
      }
      case 'kernel_details': {
        const summary = parseKernelDetails(text);
        if (summary) {
          ascend.kernelSummary = summary;
        }
        understood = summary !== null;
        break;
      }
      case 'api_statistic': {
        const stats = parseApiStatistic(text);
        if (stats) {
          ascend.apiStatistic = stats;
        }
        understood = stats !== null;
        break;
      }
    }
    if (understood) {
      ascend.files.push(key);
    } else {
      model.warnings.push(`${key} is not in the format of a torch_npu ${kind} file; it was skipped.`);
    }
  }
  if (ascend.files.length > 0) {
    meta.ascend = ascend;
  }
}

namespace Private {
  /** Text order in which digit runs compare as numbers. */
  export function byNameAndNumber(a: string, b: string): number {
    return a.localeCompare(b, 'en', { numeric: true });
  }
}
