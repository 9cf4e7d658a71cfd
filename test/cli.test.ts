import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicTrace } from './publicTraces';
import { readTrace } from '../src/trace/readTrace';
import { PUBLIC_TRACE_FILES, publicTraceBytes } from './trace/traceBytes';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'ascend-profiler.js');

/** Run the installed-style entry point, as a user would. */
function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // The bin script runs the compiled CLI; build it as `npm run build:cli` does.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.cli.json'], {
    cwd: ROOT
  });
});

describe('ascend-profiler analyze', () => {
  it('prints the JSON report of an Ascend profile folder, with the sync wait first', () => {
    const r = run('analyze', publicTrace('ascend-msinsight/level1/rank0_ascend_pt'), '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.backend).toBe('ascend');
    expect(report.trace).toMatch(/ASCEND_PROFILER_OUTPUT[\\/]trace_view\.json\.gz$/);
    expect(report.span_us).toBeGreaterThan(100_000);
    expect(report.events).toBeGreaterThan(1000);
    expect(report.lanes).toContainEqual(
      expect.objectContaining({ kind: 'device', label: 'Ascend Hardware Stream 2' })
    );
    const top = report.findings[0];
    expect(top).toMatchObject({ id: 'sync-wait', severity: 'high' });
    // The numbers the raw events give: aten::item blocked ~92 ms in the stream sync.
    expect(top.evidence.topCall).toBe('aten::item');
    expect(top.evidence.topWaitUs).toBeGreaterThan(90_000);
    expect(top.evidence.topWaitUs).toBeLessThan(93_000);
    expect(top.title).toMatch(/waited .* for the device/);
    // Its fix: the Ascend settings cell, with the restart it needs and the version it needs.
    expect(top.remedy.code).toContain('set_compile_mode(jit_compile=False)');
    expect(top.remedy.code).toContain('TASK_QUEUE_ENABLE');
    expect(top.remedy.restart).toBe('kernel');
    expect(top.remedy.prerequisites.torch_npu).toBe('6.0.RC3');
    // Passed checks are listed too, after the problems.
    const firstOk = report.findings.findIndex((f: any) => f.severity === 'ok');
    expect(firstOk).toBeGreaterThan(0);
    expect(report.findings.slice(firstOk).every((f: any) => f.severity === 'ok')).toBe(true);
    expect(Array.isArray(report.warnings)).toBe(true);
  });

  it('reports the versions and environment recorded beside an Ascend trace', () => {
    const r = run('analyze', publicTrace('ascend-msinsight/level1/rank0_ascend_pt'), '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    // profiler_metadata.json of this run lists its nine variables, all unset;
    // its profiler_info_0.json predates the version keys.
    expect(report.env).toEqual({});
    expect(report.versions).not.toHaveProperty('torch_npu');
    expect(report.warnings).toEqual([]);
  });

  it('shows torch_npu/CANN versions and set variables of a newer run in JSON and text', () => {
    // The Level1 run with the profiler_info/metadata files of a torch_npu 2.7.1 run beside it.
    const run0 = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ascend-profiler-cli-')), 'rank_0_ascend_pt');
    fs.mkdirSync(path.join(run0, 'ASCEND_PROFILER_OUTPUT'), { recursive: true });
    fs.copyFileSync(
      publicTrace('ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz'),
      path.join(run0, 'ASCEND_PROFILER_OUTPUT', 'trace_view.json.gz')
    );
    for (const name of ['profiler_info_0.json', 'profiler_metadata.json']) {
      fs.copyFileSync(publicTrace(`ascend-msinsight/st_level2/rank_0_ascend_pt/${name}`), path.join(run0, name));
    }
    const json = run('analyze', run0, '--json');
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.versions).toMatchObject({ torch_npu: '2.7.1', cann: '8.3.RC1' });
    expect(report.env).toEqual({
      ASCEND_GLOBAL_LOG_LEVEL: '3',
      PYTORCH_NPU_ALLOC_CONF: 'expandable_segments:True'
    });
    const text = run('analyze', run0);
    expect(text.stdout).toContain('torch_npu 2.7.1, cann 8.3.RC1');
    expect(text.stdout).toContain('PYTORCH_NPU_ALLOC_CONF expandable_segments:True');
  });

  it('says in words that a CPU-only trace has no device timeline', () => {
    const r = run('analyze', publicTrace('hta/cpu_only/rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('backend   cpu');
    expect(r.stdout).toContain('No device timeline');
  });

  it('fails with one clear sentence on a file that is not a trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascend-profiler-cli-'));
    const file = path.join(dir, 'notes.json');
    fs.writeFileSync(file, '{"cells": [], "metadata": {}, "nbformat": 4}');
    const r = run('analyze', file, '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('could not be analysed');
    expect(r.stderr).toContain('cells');
  });

  it('reads what a cut-off gzip trace still holds, and says where its data stops', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cut-gzip-'));
    const cut = path.join(dir, 'worker0.pt.trace.json.gz');
    const whole = fs.readFileSync(publicTrace('hta/trace_diff/control/control.json.gz'));
    fs.writeFileSync(cut, whole.subarray(0, 1_000_000)); // an interrupted copy
    const r = run('analyze', cut, '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    const held = zlib.gunzipSync(whole.subarray(0, 1_000_000), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    expect(report.warnings[0]).toBe(
      `The gzip data ends early or is damaged after ${(held.length / 1e6).toFixed(1)} MB of text; the events before that point were read.`
    );
    expect(report.warnings[1]).toMatch(/ended inside the event array/);
    expect(report.events).toBeGreaterThan(40_000);
    expect(report.backend).toBe('cuda');
  });

  it.each(PUBLIC_TRACE_FILES)('reports in --json the events, lanes and links the reader finds in %s', file => {
    const r = run('analyze', publicTrace(file), '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    const model = readTrace(publicTraceBytes(file));
    expect(report.events).toBe(model.slices.count);
    const perLane = model.lanes.map((_, l) => model.slices.lane.filter(x => x === l).length);
    model.counters.series.forEach(s => (perLane[s.lane] += model.lanes[s.lane].kind === 'counter' ? s.count : 0));
    expect(report.lanes).toEqual(model.lanes.map((l, k) => ({ kind: l.kind, label: l.label, events: perLane[k] })));
    // Every counter series, with its samples' count and range.
    expect(report.counters.map((c: { lane: string; name: string; key: string; samples: number }) => [c.lane, c.name, c.key, c.samples])).toEqual(
      model.counters.series.map(s => [model.lanes[s.lane].label, s.name, s.key, s.count])
    );
    for (const [k, s] of model.counters.series.entries()) {
      const values = Array.from(model.counters.value.subarray(s.first, s.first + s.count));
      expect([report.counters[k].min, report.counters[k].max]).toEqual([Math.min(...values), Math.max(...values)]);
    }
    const onDevice = (i: number) => ['device', 'communication'].includes(model.lanes[model.slices.lane[i]].kind);
    const device = Array.from({ length: model.slices.count }, (_, i) => i).filter(onDevice);
    const launched = new Set(model.links.to);
    expect(report.links).toEqual({
      launches: model.links.count,
      queue_hand_offs: model.links.queue.count,
      device_slices: device.length,
      device_slices_launched: device.filter(i => launched.has(i)).length,
      device_slices_with_operator: device.filter(i => model.links.op[i] >= 0).length
    });
    expect(report.span_us).toBeCloseTo(model.spanUs, 6);
    expect(report.backend).toBe(model.backend);
  });

  it('explains its usage when called wrongly', () => {
    const r = run('inspect');
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('usage: ascend-profiler analyze PATH');
  });

  it('blames the DLRM aten::to on the device work it waited for, not on its 1 µs copy', () => {
    const r = run(
      'analyze',
      publicTrace('param-et-replay/dlrm_kineto/worker0_step_12.1694128201545.pt.trace.json'),
      '--json'
    );
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.backend).toBe('cuda');
    const sync = report.findings.find((f: any) => f.id === 'sync-wait');
    expect(sync.severity).not.toBe('ok');
    expect(sync.evidence.copyUs).toBeLessThan(sync.evidence.waitUs / 10);
  });
});

describe('ascend-profiler compare', () => {
  const GPU = 'hta/trace_diff/control/control.json.gz';
  const NPU = 'ascend-msinsight/level1/rank0_ascend_pt';

  it('compares a GPU run with an NPU run: the same spans analyze reports, and steps paired in order', () => {
    const r = run('compare', publicTrace(GPU), publicTrace(NPU), '--json');
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.before).toMatchObject({ backend: 'cuda' });
    expect(c.after).toMatchObject({ backend: 'ascend' });
    expect(c.after.trace).toMatch(/trace_view\.json\.gz$/);
    expect(c.cross_device).toBe(true);
    const gpu = JSON.parse(run('analyze', publicTrace(GPU), '--json').stdout);
    const npu = JSON.parse(run('analyze', publicTrace(NPU), '--json').stdout);
    const span = c.rows.find((row: any) => row.metric === 'span');
    expect(span.before_us).toBe(gpu.span_us);
    expect(span.after_us).toBe(npu.span_us);
    expect(span.delta_us).toBeCloseTo(npu.span_us - gpu.span_us, 6);
    // A trace records no wall time of the code: no made-up row for it.
    expect(c.rows.map((row: any) => row.metric)).not.toContain('wall');
    // The NPU run's 92 ms aten::item wait shows among the changes; it is not among the GPU run's top.
    expect(c.op_changes).toContainEqual(
      expect.objectContaining({ name: 'aten::item', side: 'host', before_us: null })
    );
    expect(c.steps.length).toBeGreaterThan(0);
    for (const s of c.steps) {
      expect(s.before_busy_us).toBeLessThanOrEqual(s.before_us);
      expect(s.after_busy_us).toBeLessThanOrEqual(s.after_us);
    }
    const text = run('compare', publicTrace(GPU), publicTrace(NPU));
    expect(text.stdout).toContain('steps (paired in order)');
    expect(text.stdout).toContain('different devices (cuda, ascend)');
  });

  it('needs two paths, and says which one is not a trace', () => {
    expect(run('compare', publicTrace(GPU)).status).toBe(64);
    const r = run('compare', publicTrace(GPU), path.join(os.tmpdir(), 'no-such-trace-here'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no-such-trace-here does not exist');
  });
});

describe('ascend-profiler analyze --all', () => {
  /** A cluster-style folder: real torch_npu runs copied as they are, one `*_ascend_pt` each. */
  function clusterFolder(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascend-profiler-all-'));
    for (const level of ['level0', 'level1', 'level2']) {
      fs.cpSync(publicTrace(`ascend-msinsight/${level}/rank0_ascend_pt`), path.join(dir, `${level}_ascend_pt`), {
        recursive: true
      });
    }
    // A gzip copy beside a plain trace is the same run, not another.
    const output = path.join(dir, 'level0_ascend_pt', 'ASCEND_PROFILER_OUTPUT');
    fs.writeFileSync(
      path.join(output, 'trace_view.json.gz'),
      zlib.gzipSync(fs.readFileSync(path.join(output, 'trace_view.json')))
    );
    // Something that is not a trace, under a trace's name.
    fs.mkdirSync(path.join(dir, 'broken_ascend_pt', 'ASCEND_PROFILER_OUTPUT'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'broken_ascend_pt', 'ASCEND_PROFILER_OUTPUT', 'trace_view.json'), '<html>');
    return dir;
  }

  it('puts every run of a folder side by side, each as analyze reads it alone, and names the slowest', () => {
    const dir = clusterFolder();
    const r = run('analyze', dir, '--all', '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.kind).toBe('runs'); // all three record rank 0
    expect(report.runs.map((x: any) => x.label)).toEqual([
      'level0_ascend_pt',
      'level1_ascend_pt',
      'level2_ascend_pt'
    ]);
    expect(report.skipped).toEqual([
      expect.objectContaining({ trace: expect.stringContaining('broken_ascend_pt') })
    ]);
    for (const row of report.runs) {
      const alone = JSON.parse(run('analyze', path.join(dir, row.label), '--json').stdout);
      expect(row.trace).toBe(alone.trace);
      expect(row.rank).toBe('0');
      expect(row.top_problem.id).toBe(alone.findings[0].id);
      expect(row.top_problem.saving_us).toBe(alone.findings[0].saving_us);
      expect(row.top_problem.title).toBe(alone.findings[0].title);
    }
    expect(report.runs[0].trace).toMatch(/trace_view\.json$/); // the plain file, not its copy
    const steps = report.runs.map((x: any) => x.step_us);
    const slowest = report.runs[steps.indexOf(Math.max(...steps))].label;
    expect(report.verdict).toMatchObject({ kind: 'slowest-run', run: slowest });
    expect(report.verdict.excess_us).toBeCloseTo(Math.max(...steps) - Math.min(...steps), 6);
    expect(report.verdict.text).toContain(`${slowest} is the slowest`);

    const text = run('analyze', dir, '--all');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('3 runs under');
    expect(text.stdout).toMatch(/level1_ascend_pt +156\.0 ms/);
    expect(text.stdout).toContain('skipped: ');
  });

  it('orders distributed Kineto traces by rank and says how many of the job’s ranks it read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascend-profiler-ranks-'));
    fs.copyFileSync(publicTrace('hta/trace_diff/control/control.json.gz'), path.join(dir, 'a.pt.trace.json.gz'));
    fs.copyFileSync(
      publicTrace('param-et-replay/dlrm_kineto/worker0_step_12.1694128201545.pt.trace.json'),
      path.join(dir, 'b.pt.trace.json')
    );
    // A compressed copy of one of them is the same rank, not another.
    fs.writeFileSync(path.join(dir, 'b.pt.trace.json.gz'), zlib.gzipSync(fs.readFileSync(path.join(dir, 'b.pt.trace.json'))));
    const report = JSON.parse(run('analyze', dir, '--all', '--json').stdout);
    expect(report.kind).toBe('ranks');
    expect(report.runs.map((x: any) => [x.label, x.rank])).toEqual([
      ['b.pt.trace.json', '0'],
      ['a.pt.trace.json.gz', '3']
    ]);
    expect(report.world_size).toBe(8);
    const alone = JSON.parse(run('analyze', path.join(dir, 'a.pt.trace.json.gz'), '--json').stdout);
    expect([alone.rank, alone.world_size]).toEqual(['3', '8']);
    expect(report.verdict.text).toContain('2 of the job’s 8 ranks were read.');
  });

  it('fails with a clear sentence when no run under the folder is readable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascend-profiler-none-'));
    fs.writeFileSync(path.join(dir, 'x.pt.trace.json'), '{"cells": []}');
    const r = run('analyze', dir, '--all');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no readable trace file');
    expect(r.stderr).toContain('x.pt.trace.json could not be analysed');
    expect(run('compare', dir, dir, '--all').status).toBe(64);
  });
});
