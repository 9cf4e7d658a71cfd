/**
 * "Profile in a fresh process": the cell that replays the notebook in a child process with the
 * settings and shows the child's profile. Built, parsed, and RUN in a real python3 kernel
 * (ipykernel + jupyter_client, test/kernel/runInKernel.py) with CPU torch, then with the torch_npu
 * replay double, including one that springs THE TRAP (tuning-rules.md §4.1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The pure builders need none of JupyterLab's DOM-bound modules; keep them out of node.
vi.mock('@jupyterlab/apputils', () => ({}));
vi.mock('@jupyterlab/notebook', () => ({}));
vi.mock('@lumino/widgets', () => ({}));

import {
  buildFreshProcessCell,
  envForRemedies,
  FRESH_PROCESS_CELL_MARKER,
  selectSetupCells
} from '../../src/kernel/freshProcess';
import { buildProfilingCell, PROFILER_MIME_TYPE } from '../../src/kernel/profilingCell';
import { buildRemedyCell, REMEDIES } from '../../src/kernel/remedies';
import { buildSettingsCell, isExtensionCell } from '../../src/kernel/restartApply';
import type { IProfileBundle } from '../../src/tokens';
import {
  expectValidPython,
  REPLAY_DOUBLE,
  runInKernel,
  streamOf,
  writeTrapDouble,
  type ICellResult
} from './freshHarness';

/** The bundle a fresh-process run adds to. */
type FreshBundle = IProfileBundle & {
  fresh_process?: boolean;
  fresh_process_env?: Record<string, string>;
  fresh_process_log?: string;
};

const ENV = { TASK_QUEUE_ENABLE: '2', ASCEND_PROFILER_TEST_MARK: 'child' };
const OPTIONS = { outputDir: 'runs', profilerLevel: 'Level1', recordShapes: true, withStack: false } as const;
const MODEL_CELLS = [
  'import os, torch\nmodel = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))\nx = torch.randn(8, 16)',
  // A magic: the child replays cells with IPython semantics.
  '%time warm = model(x)\nprint("child saw mark:", os.environ.get("ASCEND_PROFILER_TEST_MARK"))'
];
const PROFILED = 'with torch.no_grad():\n    y = model(x)\ny.sum()';
const SHOW_PARENT_ENV =
  'import os, json\nprint(json.dumps([os.environ.get("TASK_QUEUE_ENABLE"), os.environ.get("ASCEND_PROFILER_TEST_MARK"), "_ascend_profiler_fresh" in globals(), "warm" in globals()]))';

function bundlesOf(result: ICellResult): FreshBundle[] {
  return result.outputs
    .filter(o => o.output_type === 'display_data' && o.data && PROFILER_MIME_TYPE in o.data)
    .map(o => o.data![PROFILER_MIME_TYPE] as FreshBundle);
}

describe('envForRemedies', () => {
  it('gives each restart-needing setting its value for the child', () => {
    expect(envForRemedies(['ascend-task-queue-2', 'ascend-cpu-affinity', 'ascend-jit-compile-off'])).toEqual({
      TASK_QUEUE_ENABLE: '2',
      CPU_AFFINITY_CONF: '2'
    });
    expect(envForRemedies(['ascend-alloc-expandable', 'cuda-launch-blocking-off'])).toEqual({
      PYTORCH_NPU_ALLOC_CONF: 'expandable_segments:True',
      CUDA_LAUNCH_BLOCKING: '0'
    });
  });

  it('knows a value for every remedy that needs a restart', () => {
    for (const remedy of Object.values(REMEDIES).filter(r => r.restart !== 'none')) {
      expect(Object.keys(envForRemedies([remedy.id])).length, remedy.id).toBeGreaterThan(0);
    }
  });
});

describe('selectSetupCells', () => {
  it('replays the code cells above, without our cells, empty cells, markdown or the profiled cell', () => {
    const cells = [
      { type: 'code', source: buildSettingsCell(['ascend-task-queue-2'])!, metadata: { settings_cell: true } },
      { type: 'markdown', source: '# Title' },
      { type: 'code', source: 'a = 1' },
      { type: 'code', source: '   ' },
      { type: 'code', source: 'b = a + 1' },
      { type: 'code', source: buildProfilingCell('b = a + 1'), metadata: { profiled_cell: 'x' } },
      { type: 'code', source: buildRemedyCell(['ascend-jit-compile-off'])!, metadata: { remedies: ['ascend-jit-compile-off'] } },
      { type: 'code', source: 'c = b * 2' },
      { type: 'code', source: 'after = 1' }
    ];
    expect(selectSetupCells(cells, 7)).toEqual(['a = 1', 'b = a + 1']);
  });

  it('recognises a fresh-process cell by its first line or its metadata', () => {
    const cell = buildFreshProcessCell([], 'x = 1', {}, OPTIONS);
    expect(cell.split('\n')[0]).toBe(FRESH_PROCESS_CELL_MARKER);
    expect(isExtensionCell(cell, undefined)).toBe(true);
    expect(isExtensionCell('x = 1', { fresh_process: true })).toBe(true);
    expect(isExtensionCell('x = 1', undefined)).toBe(false);
  });
});

describe('buildFreshProcessCell', () => {
  it('is valid Python, also with awkward sources and values', () => {
    expectValidPython(buildFreshProcessCell(MODEL_CELLS, PROFILED, ENV, OPTIONS));
    expectValidPython(
      buildFreshProcessCell(['s = """a\\\\b"""\n%env X=1', 'print("\u2028")'], '!echo hi\n"""', { A: 'x"y\\z' }, OPTIONS)
    );
    expectValidPython(buildFreshProcessCell([], 'pass', {}, OPTIONS));
  });

  it('rejects a hidden output folder, like the profiling cell', () => {
    expect(() => buildFreshProcessCell([], 'pass', {}, { ...OPTIONS, outputDir: '.runs' })).toThrow(/hidden/);
  });
});

describe('the fresh-process cell run in a real kernel with CPU torch', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascend-fresh-'));
  let results: ICellResult[];
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    results = await runInKernel(
      [
        MODEL_CELLS[0],
        buildFreshProcessCell(MODEL_CELLS, PROFILED, ENV, OPTIONS),
        SHOW_PARENT_ENV,
        buildFreshProcessCell(MODEL_CELLS, 'raise ValueError("boom in the child")', ENV, OPTIONS),
        'print("parent alive", 1 + 1)',
        buildFreshProcessCell(['raise KeyError("setup broke")'], PROFILED, ENV, OPTIONS)
      ],
      dir
    );
  });

  it('shows one profile of the cell, made in the child with the settings', () => {
    expect(results[1].status).toBe('ok');
    const bundles = bundlesOf(results[1]);
    expect(bundles).toHaveLength(1);
    const bundle = bundles[0];
    expect(bundle.status).toBe('ok');
    expect(bundle.backend).toBe('cpu');
    expect(bundle.fresh_process).toBe(true);
    expect(bundle.fresh_process_env).toEqual(ENV);
    // The env the CHILD recorded after its imports.
    expect(bundle.env.TASK_QUEUE_ENABLE).toBe('2');
    expect(bundle.cell_error).toBeNull();
    expect(fs.existsSync(path.join(dir, bundle.trace_path!))).toBe(true);
    expect(bundle.trace_path!.startsWith('runs/run_')).toBe(true);
  });

  it('keeps the script, its output and the updated bundle.json in the run folder', () => {
    const bundle = bundlesOf(results[1])[0];
    const runDir = path.join(dir, bundle.run_dir);
    for (const name of ['fresh_process.py', 'job.json', 'child_output.log', 'result.json']) {
      expect(fs.existsSync(path.join(runDir, name)), name).toBe(true);
    }
    const saved = JSON.parse(fs.readFileSync(path.join(runDir, 'bundle.json'), 'utf8')) as FreshBundle;
    expect(saved.fresh_process).toBe(true);
    expect(saved.fresh_process_log).toBe(`${bundle.run_dir}/child_output.log`);
  });

  it('replays the cells above with IPython semantics and shows the child output briefly', () => {
    const out = streamOf(results[1], 'stdout');
    expect(out).toContain('new Python process with TASK_QUEUE_ENABLE=2, ASCEND_PROFILER_TEST_MARK=child');
    expect(out).toContain('running cell 2 of 2 from above');
    expect(out).toContain('child saw mark: child');
    expect(out).toMatch(/Wall time/); // %time ran in the child
    expect(out.length).toBeLessThan(20_000);
  });

  it('leaves the kernel environment and namespace as they were', () => {
    expect(results[2].status).toBe('ok');
    // [TASK_QUEUE_ENABLE, mark, helper left behind, variable from the replayed cell 2]
    expect(JSON.parse(streamOf(results[2], 'stdout').trim())).toEqual([null, null, false, false]);
  });

  it('reports an exception in the profiled code without failing the kernel', () => {
    expect(results[3].status).toBe('ok');
    const [bundle] = bundlesOf(results[3]);
    expect(bundle.cell_error).toBe('ValueError: boom in the child');
    expect(streamOf(results[3], 'stderr')).toContain('the cell raised ValueError: boom in the child');
    expect(streamOf(results[3], 'stdout')).toContain('ValueError');
    expect(streamOf(results[4], 'stdout')).toContain('parent alive 2');
  });

  it('stops and says which replayed cell failed, without a profile', () => {
    expect(results[5].status).toBe('error');
    expect(bundlesOf(results[5])).toEqual([]);
    const error = results[5].outputs.find(o => o.output_type === 'error')!;
    expect(error.ename).toBe('RuntimeError');
    expect(error.evalue).toContain("stopped at cell 1 of the 1 cell(s) it replayed from above (KeyError: 'setup broke')");
    // Its files stay in their own folder, named in the message, for the user to look at.
    const kept = fs.readdirSync(path.join(dir, 'runs')).filter(n => n.startsWith('fresh_'));
    expect(kept).toHaveLength(1);
    expect(error.evalue).toContain(`runs/${kept[0]}/child_output.log`);
    expect(fs.readFileSync(path.join(dir, 'runs', kept[0], 'child_output.log'), 'utf8')).toContain('setup broke');
  });
});

describe('the fresh-process cell with the torch_npu replay double in the child', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascend-fresh-npu-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('profiles on the "ascend" backend with the double on the child\'s PYTHONPATH only', async () => {
    const cell = buildFreshProcessCell(
      ['import torch_npu\n' + MODEL_CELLS[0]],
      PROFILED,
      { ...ENV, PYTHONPATH: REPLAY_DOUBLE },
      OPTIONS
    );
    const results = await runInKernel(
      [cell, 'import importlib.util\nprint("parent has torch_npu:", importlib.util.find_spec("torch_npu") is not None)'],
      dir
    );
    expect(results[0].status).toBe('ok');
    const [bundle] = bundlesOf(results[0]);
    expect(bundle.status).toBe('ok');
    expect(bundle.backend).toBe('ascend');
    expect(bundle.env.TASK_QUEUE_ENABLE).toBe('2');
    expect(fs.existsSync(path.join(dir, bundle.trace_path!))).toBe(true);
    expect(streamOf(results[1], 'stdout')).toContain('parent has torch_npu: False');
  });

  it('keeps TASK_QUEUE_ENABLE=2 in the child even with a torch_npu that resets it in IPython', async () => {
    const trap = writeTrapDouble(path.join(dir, 'trap'));
    const cell = buildFreshProcessCell(
      ['import torch_npu\n' + MODEL_CELLS[0]],
      'import torch_npu\n' + PROFILED,
      { TASK_QUEUE_ENABLE: '2', PYTHONPATH: trap },
      OPTIONS
    );
    const results = await runInKernel([cell], dir);
    expect(results[0].status).toBe('ok');
    const [bundle] = bundlesOf(results[0]);
    expect(bundle.backend).toBe('ascend');
    expect(bundle.env.TASK_QUEUE_ENABLE).toBe('2');
    expect(streamOf(results[0], 'stdout')).not.toContain('after import torch_npu; set to');
  });
});
