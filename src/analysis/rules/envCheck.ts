/**
 * envCheck: environment variables that slow a single Ascend device.
 *
 * Measures: the environment recorded with the capture (`meta.env`: the
 * profiling cell's record, later also profiler_metadata.json ENV_VARIABLES),
 * checked against the single-device rules of msprof-analyze's environment
 * checker plus CPU_AFFINITY_CONF:
 *
 *   ASCEND_LAUNCH_BLOCKING=1          every launch waits for the device (task queue off)
 *   ASCEND_GLOBAL_LOG_LEVEL < 3       debug/info/warning logging on the dispatch path
 *   ACLNN_CACHE_LIMIT unset / < 10000 aclnn executor cache too small for host-bound runs
 *   HOST_CACHE_CAPACITY unset / 0     no host cache for dynamic shapes
 *   PYTORCH_NPU_ALLOC_CONF            without expandable_segments:True
 *   CPU_AFFINITY_CONF unset / mode 0  dispatch threads migrate between cores
 *
 * Why: these are read once when torch_npu / CANN start, so they are easy to
 * forget and cannot be fixed without a kernel restart (docs/tuning-rules.md
 * §3.2, §4.4). HCCL_* variables are left out: they matter for multi-device
 * communication, not one notebook device.
 *
 * A variable missing from `meta.env` is read as unset only when the
 * profiling cell recorded the environment (it records the ones in
 * {@link CELL_RECORDED} and leaves out the unset ones); otherwise it is
 * reported as unknown.
 *
 * Pure module.
 */
import type { ITraceModel } from '../../trace/model';
import type { IFinding, Severity } from '../finding';

/**
 * ACLNN_CACHE_LIMIT below which the cache is flagged. Source: msprof-analyze
 * environment_variable_checker (unset or < 10000), docs/tuning-rules.md §3.2.
 */
export const MIN_ACLNN_CACHE_LIMIT = 10_000;

/**
 * ASCEND_GLOBAL_LOG_LEVEL values below this log more than errors
 * (0 debug, 1 info, 2 warning; 3 error; 4 off). Source: msprof-analyze flags
 * any value other than 3, docs/tuning-rules.md §3.2; we also accept 4 (off),
 * which logs even less.
 */
export const QUIET_LOG_LEVEL = 3;

/**
 * Variables the profiling cell records (src/kernel/profilingCell.ts
 * RECORDED_ENV_VARS), dropping those that are unset. Duplicated here because
 * src/analysis may not import src/kernel.
 */
export const CELL_RECORDED: readonly string[] = [
  'TASK_QUEUE_ENABLE',
  'CPU_AFFINITY_CONF',
  'ASCEND_LAUNCH_BLOCKING',
  'PYTORCH_NPU_ALLOC_CONF',
  'ACLNN_CACHE_LIMIT'
];

/** One check: the variable, when its value is a problem, how much, and the fix. */
export interface IEnvCheck {
  /** Environment variable name. */
  name: string;
  /** Whether the value ('' = unset) is a problem. */
  flagged: (value: string) => boolean;
  /** How much a flagged value matters. */
  severity: Exclude<Severity, 'ok'>;
  /** Remedy id (src/kernel/remedies/ascend.ts) that sets a good value. */
  remedy: string;
}

/** The checks, most severe first (the order findings list them in). */
export const ENV_CHECKS: readonly IEnvCheck[] = [
  {
    name: 'ASCEND_LAUNCH_BLOCKING',
    flagged: v => v.trim() === '1',
    severity: 'high',
    remedy: 'ascend-launch-blocking-off'
  },
  {
    name: 'ASCEND_GLOBAL_LOG_LEVEL',
    flagged: v => {
      const level = Number.parseInt(v, 10);
      return v.trim() !== '' && Number.isFinite(level) && level < QUIET_LOG_LEVEL;
    },
    severity: 'medium',
    remedy: 'ascend-log-level-error'
  },
  {
    name: 'ACLNN_CACHE_LIMIT',
    flagged: v => {
      const limit = Number.parseInt(v, 10);
      return !Number.isFinite(limit) || limit < MIN_ACLNN_CACHE_LIMIT;
    },
    severity: 'low',
    remedy: 'ascend-aclnn-cache-limit'
  },
  {
    name: 'HOST_CACHE_CAPACITY',
    flagged: v => {
      const capacity = Number.parseInt(v, 10);
      return !Number.isFinite(capacity) || capacity <= 0;
    },
    severity: 'low',
    remedy: 'ascend-host-cache-capacity'
  },
  {
    name: 'PYTORCH_NPU_ALLOC_CONF',
    flagged: v => !/(^|,)\s*expandable_segments\s*:\s*True\s*(,|$)/.test(v),
    severity: 'low',
    remedy: 'ascend-alloc-expandable'
  },
  {
    name: 'CPU_AFFINITY_CONF',
    // Format "<mode>[,npuN:a-b,...]"; mode 0 (or unset) is off.
    flagged: v => /^\s*(0\s*)?(,|$)/.test(v),
    severity: 'low',
    remedy: 'ascend-cpu-affinity'
  }
];

const RANK: Record<Exclude<Severity, 'ok'>, number> = { high: 3, medium: 2, low: 1 };

/**
 * The environment check.
 *
 * Variants:
 * - `not-applicable` (`ok`): facts `reason`: `not-ascend`, or `no-env` (the
 *   capture recorded no environment, e.g. a trace opened from disk).
 * - `ok` (`ok`): nothing flagged. Facts `checked` (variables whose value is
 *   known), `unknown` (comma-separated names that could not be checked).
 * - `settings`: facts `flagged` (comma-separated names, most severe first),
 *   `count`, `checked`, `unknown`, and for each flagged variable its value
 *   under its own name ('' = unset). Severity: the worst flagged variable
 *   (ASCEND_LAUNCH_BLOCKING=1 high, chatty log level medium, others low).
 *
 * Remedies: one per flagged variable, in {@link ENV_CHECKS} order; each is
 * an environment variable, so each needs a kernel restart. `savingUs` is 0:
 * the trace cannot tell how much each setting costs.
 */
export function envCheck(model: ITraceModel): IFinding {
  const base = { id: 'env', savingUs: 0, highlights: [] };
  const env = model.meta.env;
  if (model.backend !== 'ascend' || Object.keys(env).length === 0) {
    return {
      ...base,
      variant: 'not-applicable',
      severity: 'ok',
      facts: { reason: model.backend !== 'ascend' ? 'not-ascend' : 'no-env' },
      remedies: []
    };
  }
  // The cell always records the Python version; profiler_metadata.json does not.
  const cellRecorded = 'python' in model.meta.versions;
  const flagged: IEnvCheck[] = [];
  const unknown: string[] = [];
  const facts: Record<string, string | number> = {};
  for (const check of ENV_CHECKS) {
    let value: string;
    if (check.name in env) {
      value = env[check.name];
    } else if (cellRecorded && CELL_RECORDED.includes(check.name)) {
      value = '';
    } else {
      unknown.push(check.name);
      continue;
    }
    if (check.flagged(value)) {
      flagged.push(check);
      facts[check.name] = value;
    }
  }
  const checked = ENV_CHECKS.length - unknown.length;
  if (flagged.length === 0) {
    return {
      ...base,
      variant: 'ok',
      severity: 'ok',
      facts: { checked, unknown: unknown.join(', ') },
      remedies: []
    };
  }
  const worst = flagged.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
  return {
    ...base,
    variant: 'settings',
    severity: worst.severity,
    facts: {
      ...facts,
      flagged: flagged.map(c => c.name).join(', '),
      count: flagged.length,
      checked,
      unknown: unknown.join(', ')
    },
    remedies: flagged.map(c => c.remedy)
  };
}
