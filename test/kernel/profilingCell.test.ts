/**
 * The profiling cell, run for real: in a python3 IPython kernel (ipykernel + jupyter_client, the
 * same stack JupyterLab uses) with CPU torch, with the torch_npu replay double, and under plain
 * Python. Python is found through ASCEND_PROFILER_PYTHON, else `.venv/bin/python` in the repo,
 * else `python3`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildProfilingCell,
  DEFAULT_PROFILE_OPTIONS,
  IProfileOptions,
  PROFILER_MIME_TYPE,
  PROFILING_CELL_MARKER,
  RECORDED_ENV_VARS
} from '../../src/kernel/profilingCell';
import { DEFAULT_SETTINGS, MIME_TYPE, type IProfileBundle } from '../../src/tokens';
import { readTrace } from '../../src/trace/readTrace';
import {
  pythonExe,
  REPLAY_DOUBLE,
  REPO_ROOT,
  runInKernel,
  type ICellResult
} from './freshHarness';

// The kernel driver and the Python to run it are shared with the fresh-process tests.
function stdoutOf(result: ICellResult): string {
  return result.outputs
    .filter(o => o.output_type === 'stream' && o.name === 'stdout')
    .map(o => o.text)
    .join('');
}

function bundlesOf(result: ICellResult): IProfileBundle[] {
  return result.outputs
    .filter(o => o.output_type === 'display_data' && o.data?.[PROFILER_MIME_TYPE])
    .map(o => o.data![PROFILER_MIME_TYPE] as IProfileBundle);
}

/** The one bundle a profiling cell displayed (fails the test if there is not exactly one). */
function bundleOf(result: ICellResult): IProfileBundle {
  const bundles = bundlesOf(result);
  expect(bundles, JSON.stringify(result.outputs, null, 1)).toHaveLength(1);
  return bundles[0];
}

/** text/plain of displays that are not our bundle: what the user sees as cell values. */
function displayedValues(result: ICellResult): string[] {
  return result.outputs
    .filter(
      o =>
        (o.output_type === 'display_data' || o.output_type === 'execute_result') &&
        !o.data?.[PROFILER_MIME_TYPE]
    )
    .map(o => String(o.data?.['text/plain']));
}

/** Prints, as JSON, the user-visible names added to the namespace since `_before` was taken. */
const NEW_NAMES_PROBE = [
  'import json as _json, re as _re',
  'print(_json.dumps(sorted(k for k in set(globals()) - _before',
  '    if not _re.fullmatch(r"_+|_\\d+|_i+|_i\\d+|_json|_re|_before", k))))'
].join('\n');

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function profile(code: string, options?: Partial<IProfileOptions>): string {
  return buildProfilingCell(code, options);
}

/** Checks what the frontend relies on in an `ok` bundle, against the files on disk. */
function expectUsableBundle(bundle: IProfileBundle, cwd: string): void {
  expect(bundle.version).toBe(1);
  expect(bundle.status).toBe('ok');
  expect(bundle.error).toBeNull();
  expect(bundle.run_dir).toMatch(/^ascend_profiler_runs\/run_\d{8}_\d{6}_[0-9a-f]{6}$/);
  expect(bundle.trace_path!.startsWith(bundle.run_dir + '/')).toBe(true);
  const trace = path.join(cwd, bundle.trace_path!);
  expect(fs.existsSync(trace)).toBe(true);
  expect(bundle.trace_bytes).toBe(fs.statSync(trace).size);
  expect(bundle.wall_time_s).toBeGreaterThan(0);
  expect(Number.isNaN(Date.parse(bundle.started_at))).toBe(false);
  expect(Object.keys(bundle.env).sort()).toEqual([...RECORDED_ENV_VARS].sort());
  expect(bundle.versions.python).toMatch(/^3\.\d+\.\d+/);
  expect(bundle.versions.torch).toBeTruthy();
  // The same bundle is kept beside the trace, for reopening without the notebook output.
  const saved = JSON.parse(fs.readFileSync(path.join(cwd, bundle.run_dir, 'bundle.json'), 'utf8'));
  expect(saved).toEqual(bundle);
}

describe('buildProfilingCell', () => {
  it('starts with the marker line the frontend looks for', () => {
    const cell = buildProfilingCell('x = 1');
    expect(cell.split('\n')[0]).toBe(PROFILING_CELL_MARKER);
    expect(cell).toContain('_ascend_profiler_run(');
  });

  it('displays the MIME type and uses the defaults the rest of the extension declares', () => {
    expect(PROFILER_MIME_TYPE).toBe(MIME_TYPE);
    expect(DEFAULT_PROFILE_OPTIONS).toEqual(DEFAULT_SETTINGS);
    expect(buildProfilingCell('x = 1')).toContain(`"${MIME_TYPE}"`);
  });

  it('writes the options into the call, defaulting to Level1 with shapes and without stacks', () => {
    expect(DEFAULT_PROFILE_OPTIONS).toEqual({
      outputDir: 'ascend_profiler_runs',
      profilerLevel: 'Level1',
      recordShapes: true,
      withStack: false,
      profileMemory: false,
      warmupRuns: 0,
      recordedRuns: 1,
      keepProfiles: 10
    });
    expect(buildProfilingCell('x = 1')).toContain('profile_memory=False,');
    const cell = buildProfilingCell('x = 1', { profilerLevel: 'Level2', withStack: true, outputDir: 'runs', profileMemory: true });
    expect(cell).toContain('profile_memory=True,');
    expect(cell).toContain('profiler_level="Level2"');
    expect(cell).toContain('with_stack=True');
    expect(cell).toContain('record_shapes=True');
    expect(cell).toContain('output_dir="runs"');
    expect(cell).toContain('warmup_runs=0,');
    expect(cell).toContain('recorded_runs=1,');
    expect(cell).toContain('keep_profiles=10,');
  });

  it('says in the cell how often the code runs and which folders it keeps', () => {
    const cell = buildProfilingCell('x = 1', { warmupRuns: 2, recordedRuns: 3, keepProfiles: 0 });
    expect(cell).toContain('warmup_runs=2,');
    expect(cell).toContain('recorded_runs=3,');
    expect(cell).toContain('keep_profiles=0,');
    expect(cell).toMatch(/# First 2 warm-up run\(s\), not recorded/);
    expect(cell).toMatch(/printed and displayed output is captured and discarded/);
    expect(cell).toContain('ProfilerStep#0 to #2');
    expect(cell).toContain('# Keeps every run_* folder');
    expect(buildProfilingCell('x = 1')).not.toMatch(/^# First \d+ warm-up/m);
    expect(buildProfilingCell('x = 1')).toContain('# Then one recorded run: ProfilerStep#0 in the trace.');
  });

  it.each([
    [{ recordedRuns: 0 }, /recordedRuns/],
    [{ warmupRuns: -1 }, /warmupRuns/],
    [{ keepProfiles: 1.5 }, /keepProfiles/],
    [{ recordedRuns: Number.NaN }, /recordedRuns/]
  ] as [Partial<IProfileOptions>, RegExp][])('refuses the run counts %j', (options, message) => {
    expect(() => buildProfilingCell('x', options)).toThrow(message);
  });

  it('refuses a hidden output folder, which the Contents API would not list', () => {
    expect(() => buildProfilingCell('x', { outputDir: '.profiles' })).toThrow(/hidden/);
    expect(() => buildProfilingCell('x', { outputDir: 'a/.b' })).toThrow(/hidden/);
    expect(() =>
      buildProfilingCell('x', { profilerLevel: 'Level3' as IProfileOptions['profilerLevel'] })
    ).toThrow(/profilerLevel/);
  });

  it("passes the user's code to Python unchanged, quotes, backslashes and odd line breaks included", () => {
    const code = 'print("a\\tb", \'c\')\ns = """x\\ny"""\n# é \u2028 \u0085 \\ end\n';
    const cell = buildProfilingCell(code);
    const script = [
      'import ast, sys',
      'tree = ast.parse(sys.stdin.read())',
      'call = tree.body[-1].value',
      'print([type(n).__name__ for n in tree.body])',
      'print(repr(next(k.value.value for k in call.keywords if k.arg == "code")))'
    ].join('\n');
    const out = execFileSync(pythonExe(), ['-c', script], { input: cell, encoding: 'utf8' });
    const [kinds, literal] = out.trim().split('\n');
    // Only one name reaches the user's namespace: the helper. Then one call.
    expect(kinds).toBe("['FunctionDef', 'Expr']");
    const roundTrip = execFileSync(
      pythonExe(),
      ['-c', `import sys, json; sys.stdout.write(json.dumps(${literal}))`],
      { encoding: 'utf8' }
    );
    expect(JSON.parse(roundTrip)).toBe(code);
  });

  it('runs under plain Python too (no IPython shell), printing the summary', () => {
    const cwd = tempDir('ascend-profiler-plain-');
    try {
      const out = execFileSync(pythonExe(), ['-'], {
        cwd,
        input: buildProfilingCell('import torch\nv = torch.ones(3).sum()\nprint("plain run", v.item())'),
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'ignore']
      });
      expect(out).toContain('plain run 3.0');
      const match = out.match(/cpu profile of the cell above, [\d.]+ s, trace (\S+\.pt\.trace\.json)/);
      expect(match).not.toBeNull();
      expect(fs.existsSync(path.join(cwd, match![1]))).toBe(true);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('profiling cell in a real kernel with CPU torch', () => {
  let cwd: string;
  let results: ICellResult[];

  beforeAll(async () => {
    cwd = tempDir('ascend-profiler-kernel-');
    results = await runInKernel(
      [
        // 0: a snapshot of the namespace, and the grad mode, before any profiling
        'import torch\n_before = set(globals())',
        // 1: a normal cell: prints, defines variables, ends with an expression
        profile(
          'print("hello from the cell")\na = torch.ones(32, 32)\nb = (a @ a).sum()\nb.item()'
        ),
        // 2: what is left in the namespace, and torch settings
        NEW_NAMES_PROBE + '\nprint("grad", torch.is_grad_enabled(), "b", b.item())',
        // 3: the user's code raises after defining something
        profile('c = 41 + 1\nraise ValueError("boom from the cell")'),
        // 4: a line magic, with non-default options
        profile('%time d = sum(range(1000))\n_m = torch.ones(256, 256)\ndel _m\nd', {
          profilerLevel: 'Level2',
          withStack: true,
          profileMemory: true
        }),
        // 5: names defined by cells 3 and 4
        'print("c", c, "d", d)',
        // 6-8: torch cannot be imported: an error bundle, and the code is not run
        'import sys\n_torch = sys.modules["torch"]\nsys.modules["torch"] = None',
        profile('e = 1'),
        'sys.modules["torch"] = _torch\nprint("e" in globals())',
        // 9: code that does not compile
        profile('x = (')
      ],
      cwd
    );
  });

  afterAll(() => {
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('writes a Kineto trace under a new run folder and displays an ok cpu bundle', () => {
    expect(results[1].status).toBe('ok');
    const bundle = bundleOf(results[1]);
    expectUsableBundle(bundle, cwd);
    expect(bundle.backend).toBe('cpu');
    expect(bundle.trace_path).toMatch(/\.pt\.trace\.json$/);
    expect(bundle.cell_error).toBeNull();
    expect(bundle.profiler).toEqual({
      level: 'Level1',
      record_shapes: true,
      with_stack: false,
      profile_memory: false,
      warmup_runs: 0,
      recorded_runs: 1
    });
    const wallTimes = (bundle as IProfileBundle & { wall_times_s: number[] }).wall_times_s;
    expect(wallTimes).toEqual([bundle.wall_time_s]);
    const trace = JSON.parse(fs.readFileSync(path.join(cwd, bundle.trace_path!), 'utf8'));
    expect(Array.isArray(trace.traceEvents)).toBe(true);
    expect(trace.traceEvents.some((e: { name?: string }) => e.name === 'ProfilerStep#0')).toBe(true);
  });

  it("shows the cell's print output and its final expression, before the bundle", () => {
    expect(stdoutOf(results[1])).toContain('hello from the cell');
    expect(displayedValues(results[1])).toEqual(['32768.0']);
    const kinds = results[1].outputs.filter(o => o.output_type === 'display_data');
    expect(kinds[kinds.length - 1].data?.[PROFILER_MIME_TYPE]).toBeDefined();
    const summary = kinds[kinds.length - 1].data?.['text/plain'];
    expect(summary).toMatch(/^ascend-profiler: cpu profile of the cell above/);
  });

  it("defines the cell's variables in the kernel and adds only the helper", () => {
    const [names, rest] = stdoutOf(results[2]).split('\n');
    expect(JSON.parse(names)).toEqual(['_ascend_profiler_run', 'a', 'b']);
    expect(rest).toBe('grad True b 32768.0');
  });

  it("still reports the user's exception as the cell error, after a bundle with cell_error", () => {
    const result = results[3];
    expect(result.status).toBe('error');
    const error = result.outputs.find(o => o.output_type === 'error');
    expect(error?.ename).toBe('ValueError');
    expect(error?.evalue).toBe('boom from the cell');
    const bundle = bundleOf(result);
    expectUsableBundle(bundle, cwd);
    expect(bundle.cell_error).toBe('ValueError: boom from the cell');
    const bundleIndex = result.outputs.findIndex(o => o.output_type === 'display_data');
    expect(bundleIndex).toBeLessThan(result.outputs.indexOf(error!));
  });

  it('runs IPython magics such as %time, and records the options asked for', () => {
    expect(results[4].status).toBe('ok');
    expect(stdoutOf(results[4])).toMatch(/Wall time/);
    expect(displayedValues(results[4])).toEqual(['499500']);
    const bundle = bundleOf(results[4]);
    expectUsableBundle(bundle, cwd);
    expect(bundle.profiler).toEqual({
      level: 'Level2',
      record_shapes: true,
      with_stack: true,
      profile_memory: true,
      warmup_runs: 0,
      recorded_runs: 1
    });
    expect(stdoutOf(results[5])).toBe('c 42 d 499500\n');
    // With memory recorded, the reader finds the memory in use on the CPU over the run.
    const model = readTrace(fs.readFileSync(path.join(cwd, bundle.trace_path!)));
    const allocated = model.counters.series.find(x => x.name === 'Memory allocated (CPU)');
    expect(allocated).toBeDefined();
    const values = model.counters.value.subarray(allocated!.first, allocated!.first + allocated!.count);
    expect(Math.max(...values)).toBeGreaterThanOrEqual(256 * 256 * 4);
  });

  it('displays an error bundle saying what to do when torch cannot be imported', () => {
    expect(results[7].status).toBe('ok');
    const bundle = bundleOf(results[7]);
    expect(bundle.status).toBe('error');
    expect(bundle.trace_path).toBeNull();
    expect(bundle.error).toMatch(/PyTorch is not installed.*Install torch/);
    expect(Object.keys(bundle.env).sort()).toEqual([...RECORDED_ENV_VARS].sort());
    expect(stdoutOf(results[8])).toBe('False\n');
  });

  it('reports a syntax error as usual, with an error bundle saying nothing was profiled', () => {
    const result = results[9];
    expect(result.status).toBe('error');
    expect(result.outputs.find(o => o.output_type === 'error')?.ename).toBe('SyntaxError');
    const bundle = bundleOf(result);
    expect(bundle.status).toBe('error');
    expect(bundle.error).toMatch(/does not compile.*nothing was run/);
    expect(bundle.cell_error).toMatch(/^SyntaxError: /);
  });
});

/** A bundle with the per-run wall times the template writes. */
type IRunsBundle = IProfileBundle & { wall_times_s: number[] };

/** Names of the `ProfilerStep#N` slices of a Kineto trace, in trace order. */
function profilerSteps(cwd: string, bundle: IProfileBundle): string[] {
  const trace = JSON.parse(fs.readFileSync(path.join(cwd, bundle.trace_path!), 'utf8'));
  return (trace.traceEvents as { name?: string; ph?: string }[])
    .filter(e => e.ph === 'X' && /^ProfilerStep#\d+$/.test(e.name ?? ''))
    .map(e => e.name!);
}

describe('warm-up runs, recorded runs and kept profiles, in a real kernel with CPU torch', () => {
  let cwd: string;
  let results: ICellResult[];
  /** A folder of the user's inside the output folder, and one that only looks like ours. */
  const USER_FOLDERS = ['my_notes', 'run_by_hand'];

  beforeAll(async () => {
    cwd = tempDir('ascend-profiler-runs-');
    for (const folder of USER_FOLDERS) {
      fs.mkdirSync(path.join(cwd, 'kept', folder), { recursive: true });
      fs.writeFileSync(path.join(cwd, 'kept', folder, 'keep.txt'), 'mine');
    }
    const counting = [
      'import torch',
      'runs = globals().get("runs", 0) + 1',
      'print("run of the cell", runs)',
      'w = torch.ones(64, 64) @ torch.ones(64, 64)',
      'runs'
    ].join('\n');
    const kept = { outputDir: 'kept', keepProfiles: 2 };
    results = await runInKernel(
      [
        // 0: one warm-up run, three recorded runs
        profile(counting, { warmupRuns: 1, recordedRuns: 3 }),
        // 1: how often the code ran
        'print("runs", runs)',
        // 2: the code fails in the first warm-up run
        profile('print("before the error")\nraise RuntimeError("boom in warm-up")', {
          warmupRuns: 2,
          recordedRuns: 2
        }),
        // 3: the code fails in the second of three recorded runs
        profile('k = globals().get("k", 0) + 1\nif k == 2:\n    raise ValueError("second run")', {
          recordedRuns: 3
        }),
        // 4-6: three profiles keeping two run folders
        profile('x = 1', kept),
        profile('x = 2', kept),
        profile('x = 3', kept)
      ],
      cwd
    );
  });

  afterAll(() => {
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('records exactly ProfilerStep#0, #1 and #2 for three recorded runs after a warm-up', () => {
    expect(results[0].status).toBe('ok');
    const bundle = bundleOf(results[0]) as IRunsBundle;
    expectUsableBundle(bundle, cwd);
    expect(profilerSteps(cwd, bundle)).toEqual(['ProfilerStep#0', 'ProfilerStep#1', 'ProfilerStep#2']);
    expect(bundle.profiler).toMatchObject({ warmup_runs: 1, recorded_runs: 3 });
    expect(bundle.wall_times_s).toHaveLength(3);
    for (const t of bundle.wall_times_s) {
      expect(t).toBeGreaterThan(0);
    }
    const mean = bundle.wall_times_s.reduce((a, b) => a + b, 0) / 3;
    expect(bundle.wall_time_s).toBeCloseTo(mean, 9);
  });

  it("prints the cell's output once per recorded run, not for the warm-up, and shows the last value once", () => {
    const out = stdoutOf(results[0]);
    expect(out.match(/run of the cell/g)).toHaveLength(3);
    // The warm-up was run 1; the recorded runs are 2, 3 and 4.
    expect(out).toContain('run of the cell 2\nrun of the cell 3\nrun of the cell 4\n');
    expect(displayedValues(results[0])).toEqual(['4']);
    expect(stdoutOf(results[1])).toBe('runs 4\n');
  });

  it('reports an exception in a warm-up run like one in a recorded run, with what it printed', () => {
    const result = results[2];
    expect(result.status).toBe('error');
    const error = result.outputs.find(o => o.output_type === 'error');
    expect(error?.ename).toBe('RuntimeError');
    expect(error?.evalue).toBe('boom in warm-up');
    expect(stdoutOf(result)).toBe('before the error\n');
    const bundle = bundleOf(result);
    expect(bundle.status).toBe('error');
    expect(bundle.trace_path).toBeNull();
    expect(bundle.error).toMatch(/warm-up run 1 of 2.*nothing was profiled/);
    expect(bundle.cell_error).toBe('RuntimeError: boom in warm-up');
  });

  it('stops at an exception in a recorded run and still writes the steps recorded so far', () => {
    const result = results[3];
    expect(result.status).toBe('error');
    expect(result.outputs.find(o => o.output_type === 'error')?.evalue).toBe('second run');
    const bundle = bundleOf(result) as IRunsBundle;
    expectUsableBundle(bundle, cwd);
    expect(bundle.cell_error).toBe('ValueError: second run');
    expect(bundle.wall_times_s).toHaveLength(2);
    expect(profilerSteps(cwd, bundle)).toEqual(['ProfilerStep#0', 'ProfilerStep#1']);
  });

  it("keeps the newest two run folders and never touches the user's folders beside them", () => {
    for (const result of results.slice(4)) {
      expect(bundleOf(result).status).toBe('ok');
    }
    const newest = results.slice(5).map(r => path.basename(bundleOf(r).run_dir));
    const left = fs.readdirSync(path.join(cwd, 'kept')).sort();
    expect(left).toEqual([...USER_FOLDERS, ...newest].sort());
    for (const folder of USER_FOLDERS) {
      expect(fs.readFileSync(path.join(cwd, 'kept', folder, 'keep.txt'), 'utf8')).toBe('mine');
    }
    // The default (10) left the other profiles of this kernel alone.
    expect(fs.readdirSync(path.join(cwd, 'ascend_profiler_runs'))).toHaveLength(3);
  });
});

describe('profiling cell with the torch_npu replay double', () => {
  let cwd: string;
  let results: ICellResult[];

  beforeAll(async () => {
    cwd = tempDir('ascend-profiler-replay-');
    results = await runInKernel(
      [
        profile('import torch\nx = torch.randn(16, 16)\ny = (x @ x).relu()\nprint(tuple(y.shape))'),
        'import torch_npu\nprint(torch_npu.REPLAY_TEST_DOUBLE, y.device)',
        // A profiler whose handler fails: no trace, an error bundle, and the code still ran.
        'import os\nos.environ["ASCEND_PROFILER_REPLAY_SOURCE"] = "no/such/folder"',
        profile('z = 5'),
        'del os.environ["ASCEND_PROFILER_REPLAY_SOURCE"]\nprint("z", z)'
      ],
      cwd,
      [REPLAY_DOUBLE]
    );
  });

  afterAll(() => {
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('takes the Ascend branch and points at ASCEND_PROFILER_OUTPUT/trace_view.json', () => {
    expect(results[0].status).toBe('ok');
    expect(stdoutOf(results[0])).toContain('(16, 16)');
    // The double, not some real torch_npu, answered; the user's tensors stayed on the CPU.
    expect(stdoutOf(results[1])).toBe('True cpu\n');
    const bundle = bundleOf(results[0]);
    expectUsableBundle(bundle, cwd);
    expect(bundle.backend).toBe('ascend');
    expect(bundle.device).toMatch(/^Ascend NPU /);
    expect(bundle.versions.torch_npu).toMatch(/replay/);
    // The runtime switches the checklist talks about, as the double reports them before any remedy.
    expect(bundle.npu_config).toEqual({ jit_compile: true, allow_internal_format: true });
    expect(bundle.trace_path).toMatch(/_ascend_pt\/ASCEND_PROFILER_OUTPUT\/trace_view\.json$/);
    const events = JSON.parse(fs.readFileSync(path.join(cwd, bundle.trace_path!), 'utf8'));
    expect(Array.isArray(events)).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    // The sibling files the checklist reads are listed, relative to the kernel's folder.
    const siblings = (bundle.siblings ?? []).map(p => p.split('/').slice(-2).join('/'));
    expect(siblings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/_ascend_pt\/profiler_info_0\.json$/),
        expect.stringMatching(/_ascend_pt\/profiler_metadata\.json$/),
        'ASCEND_PROFILER_OUTPUT/memory_record.csv',
        'ASCEND_PROFILER_OUTPUT/step_trace_time.csv',
        'ASCEND_PROFILER_OUTPUT/kernel_details.csv',
        'ASCEND_PROFILER_OUTPUT/api_statistic.csv'
      ])
    );
    for (const sibling of bundle.siblings ?? []) {
      expect(fs.existsSync(path.join(cwd, sibling))).toBe(true);
    }
  });

  it('displays an error bundle, and keeps the run, when the profiler writes no trace', () => {
    const bundle = bundleOf(results[3]);
    expect(bundle.status).toBe('error');
    expect(bundle.backend).toBe('ascend');
    expect(bundle.trace_path).toBeNull();
    expect(bundle.error).toMatch(/wrote no trace.*replay source folder not found/);
    expect(stdoutOf(results[4])).toBe('z 5\n');
  });
});

describe('examples/demo.ipynb', () => {
  let cwd: string;
  let results: ICellResult[];
  let inference: string;

  beforeAll(async () => {
    const nb = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'demo.ipynb'), 'utf8'));
    const code: string[] = nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === 'code')
      .map((c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    inference = code[code.length - 1];
    cwd = tempDir('ascend-profiler-demo-');
    // Run All, then what the user does next: profile the inference cell.
    results = await runInKernel([...code, buildProfilingCell(inference)], cwd);
  });

  afterAll(() => {
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('is a valid nbformat 4 notebook saved without outputs', () => {
    const nb = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'demo.ipynb'), 'utf8'));
    expect(nb.nbformat).toBe(4);
    for (const cell of nb.cells) {
      if (cell.cell_type === 'code') {
        expect(cell.outputs).toEqual([]);
        expect(cell.execution_count).toBeNull();
      }
    }
    expect(inference).toContain(".to(\"cpu\")");
    expect(inference).toContain('torch.inference_mode()');
  });

  it('runs every cell on CPU torch and prints the inference time', () => {
    expect(results.map(r => r.status)).toEqual(results.map(() => 'ok'));
    expect(stdoutOf(results[0])).toContain('device: cpu');
    expect(stdoutOf(results[results.length - 2])).toMatch(/inference took [\d.]+ ms/);
  });

  it('profiles the inference cell into a usable trace', () => {
    const last = results[results.length - 1];
    expect(stdoutOf(last)).toMatch(/inference took [\d.]+ ms/);
    const bundle = bundleOf(last);
    expectUsableBundle(bundle, cwd);
    expect(bundle.backend).toBe('cpu');
  });
});
