/**
 * Remedy cells: what the user gets in the cell below when they apply checklist suggestions.
 * Python is found through ASCEND_PROFILER_PYTHON, else `.venv/bin/python` in the repo, else
 * `python3`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { buildRemedyCell, REMEDIES, REMEDY_CELL_MARKER } from '../../src/kernel/remedies';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function pythonExe(): string {
  const fromEnv = process.env.ASCEND_PROFILER_PYTHON;
  if (fromEnv) {
    return fromEnv;
  }
  const venv = path.join(REPO_ROOT, '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

/** Parses Python source with `ast.parse`; throws (with Python's message) if it does not compile. */
function expectValidPython(source: string): void {
  execFileSync(pythonExe(), ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
    input: source,
    stdio: ['pipe', 'pipe', 'pipe']
  });
}

const ASCEND_IDS = ['ascend-task-queue-2', 'ascend-jit-compile-off', 'ascend-internal-format-off'];

describe('REMEDIES', () => {
  it('knows which settings need a restart: the task queue and the environment variables', () => {
    const restarts = Object.fromEntries(Object.values(REMEDIES).map(r => [r.id, r.restart]));
    expect(restarts).toEqual({
      'ascend-task-queue-2': 'kernel',
      'ascend-jit-compile-off': 'none',
      'ascend-internal-format-off': 'none',
      'ascend-launch-blocking-off': 'kernel',
      'ascend-log-level-error': 'kernel',
      'ascend-aclnn-cache-limit': 'kernel',
      'ascend-host-cache-capacity': 'kernel',
      'ascend-alloc-expandable': 'kernel',
      'ascend-cpu-affinity': 'kernel',
      'cuda-tf32': 'none',
      'cudnn-benchmark': 'none',
      'cuda-graphs-compile': 'none',
      'cuda-launch-blocking-off': 'kernel',
      'ascend-graph-mode': 'none',
      'python-gc-freeze': 'none'
    });
    for (const [id, remedy] of Object.entries(REMEDIES)) {
      expect(remedy.id).toBe(id);
      const comment = remedy.comment.join(' ');
      expect(comment).toMatch(remedy.restart === 'none' ? /no restart/ : /RESTART/);
    }
  });
});

describe('buildRemedyCell', () => {
  it('returns null when no id is known', () => {
    expect(buildRemedyCell([])).toBeNull();
    expect(buildRemedyCell(['no-such-remedy'])).toBeNull();
  });

  it('writes the Ascend settings as a compiling cell, torch_npu imported before TASK_QUEUE_ENABLE', () => {
    const cell = buildRemedyCell([...ASCEND_IDS, 'unknown-id'])!;
    expectValidPython(cell);
    expect(cell.split('\n')[0]).toBe(REMEDY_CELL_MARKER);
    expect(cell).toContain('os.environ["TASK_QUEUE_ENABLE"] = "2"');
    expect(cell).toContain('torch_npu.npu.set_compile_mode(jit_compile=False)');
    expect(cell).toContain('torch_npu.npu.config.allow_internal_format = False');
    // `import torch_npu` resets TASK_QUEUE_ENABLE to 0 in Jupyter, so it must come first.
    expect(cell.indexOf('import torch_npu')).toBeGreaterThanOrEqual(0);
    expect(cell.indexOf('import torch_npu')).toBeLessThan(cell.indexOf('TASK_QUEUE_ENABLE"] ='));
    expect(cell).toMatch(/restart the kernel, run this cell first/i);
    expect(cell).toMatch(/6\.0\.RC3/);
  });

  it('writes the Ascend environment settings as a compiling cell that keeps other allocator options', () => {
    const ids = [
      'ascend-launch-blocking-off',
      'ascend-log-level-error',
      'ascend-aclnn-cache-limit',
      'ascend-host-cache-capacity',
      'ascend-alloc-expandable',
      'ascend-cpu-affinity'
    ];
    const cell = buildRemedyCell(ids)!;
    expectValidPython(cell);
    // Environment variables alone need no torch_npu import, so the cell can run before it.
    expect(cell).not.toContain('import torch_npu');
    expect(cell).toMatch(/restart the kernel, run this cell first/i);
    const probe = '\nimport json\nprint(json.dumps({k: os.environ.get(k) for k in ' +
      '["ASCEND_LAUNCH_BLOCKING", "ASCEND_GLOBAL_LOG_LEVEL", "ACLNN_CACHE_LIMIT", ' +
      '"HOST_CACHE_CAPACITY", "PYTORCH_NPU_ALLOC_CONF", "CPU_AFFINITY_CONF"]}))';
    const out = execFileSync(pythonExe(), ['-'], {
      input: cell + probe,
      encoding: 'utf8',
      env: { ...process.env, PYTORCH_NPU_ALLOC_CONF: 'max_split_size_mb:128,expandable_segments:False' },
      stdio: ['pipe', 'pipe', 'ignore']
    });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
      ASCEND_LAUNCH_BLOCKING: '0',
      ASCEND_GLOBAL_LOG_LEVEL: '3',
      ACLNN_CACHE_LIMIT: '100000',
      HOST_CACHE_CAPACITY: '20',
      PYTORCH_NPU_ALLOC_CONF: 'max_split_size_mb:128,expandable_segments:True',
      CPU_AFFINITY_CONF: '2'
    });
  });

  it('applies each setting once, in a fixed order, whatever the order asked', () => {
    const cell = buildRemedyCell(['cudnn-benchmark', 'cuda-tf32', 'cudnn-benchmark'])!;
    expect(cell.match(/cudnn\.benchmark = True/g)).toHaveLength(1);
    expect(cell.indexOf('allow_tf32')).toBeLessThan(cell.indexOf('cudnn.benchmark'));
  });

  it('runs the CUDA settings on CPU-only torch without importing torch_npu', () => {
    const cell = buildRemedyCell(['cuda-tf32', 'cudnn-benchmark'])!;
    expect(cell).not.toContain('torch_npu');
    expect(cell).not.toMatch(/restart the kernel/i);
    const probe =
      '\nprint(torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32, torch.backends.cudnn.benchmark)';
    const out = execFileSync(pythonExe(), ['-'], {
      input: cell + probe,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore']
    });
    expect(out).toContain('ascend-profiler: applied cuda-tf32, cudnn-benchmark');
    expect(out.trim().split('\n').pop()).toBe('True True True');
  });
});
