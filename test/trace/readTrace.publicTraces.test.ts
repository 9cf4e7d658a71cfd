import { describe, expect, it } from 'vitest';
import { readTrace } from '../../src/trace/readTrace';
import type { ITraceModel, LaneKind } from '../../src/trace/model';
import { WORK_KINDS } from '../../src/trace/model';
import { publicTraceBytes } from './traceBytes';

const ASCEND_L0 =
  'ascend-msinsight/level0/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json';
const ASCEND_L1 =
  'ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz';
const ASCEND_L2 =
  'ascend-msinsight/level2/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz';
const ASCEND_2024 = 'ascend-msprof-analyze/timeline_advice/trace_view.json';
const CPU_ONLY = 'hta/cpu_only/rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz';
const TRITON = 'hta/triton_example/triton_example.json.gz';
const EVENT_SYNC = 'hta/critical_path/cuda_event_sync/event_sync_trace.json.gz';
const AMD = 'hta/amd_trace/mi250_minitoy_train_ROCm6_2_kineto.json.gz';
const ALEXNET =
  'hta/critical_path/alexnet/benchmark_result_2869224_1695835535_trace.json.gz';
const DLRM =
  'param-et-replay/dlrm_kineto/worker0_step_12.1694128201545.pt.trace.json';
const NS_RESOLUTION =
  'hta/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz';
const LEGACY_2021 =
  'kineto-tb-plugin/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz';
const CONTROL = 'hta/trace_diff/control/control.json.gz';

const cache = new Map<string, { model: ITraceModel; events: any[] }>();

/** The model of a public trace and its events parsed independently with JSON.parse. */
function load(relative: string): { model: ITraceModel; events: any[] } {
  let entry = cache.get(relative);
  if (entry === undefined) {
    const bytes = publicTraceBytes(relative);
    const json = JSON.parse(new TextDecoder().decode(bytes));
    entry = {
      model: readTrace(bytes),
      events: Array.isArray(json) ? json : json.traceEvents
    };
    cache.set(relative, entry);
  }
  return entry;
}

/** `ph: X` events, minus Kineto's profiler span (pid "Spans"/"Traces"), which the reader skips. */
function completeEventCount(events: any[]): number {
  return events.filter(
    e => e.ph === 'X' && e.pid !== 'Spans' && e.pid !== 'Traces'
  ).length;
}

function labels(model: ITraceModel, kind?: LaneKind): string[] {
  return model.lanes.filter(l => !kind || l.kind === kind).map(l => l.label);
}

function laneIndex(model: ITraceModel, label: string): number {
  const index = model.lanes.findIndex(l => l.label === label);
  expect(index, `lane ${label}`).toBeGreaterThanOrEqual(0);
  return index;
}

function slicesOn(model: ITraceModel, lane: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < model.slices.count; i++) {
    if (model.slices.lane[i] === lane) {
      out.push(i);
    }
  }
  return out;
}

function workOf(model: ITraceModel, i: number): string {
  return WORK_KINDS[model.slices.work[i]];
}

function nameOf(model: ITraceModel, i: number): string {
  return model.names[model.slices.name[i]];
}

/** Exact µs from the model's origin to a torch_npu ts string, computed with BigInt in ns. */
function expectedStart(model: ITraceModel, ts: string): number {
  const toNs = (us: string): bigint => {
    const [int, frac = ''] = us.split('.');
    return BigInt(int) * 1000n + BigInt(frac.padEnd(3, '0').slice(0, 3));
  };
  return Number(toNs(ts) - toNs(model.meta.originUs)) / 1000;
}

describe('readTrace on the public traces', () => {
  it.each([
    [ASCEND_L0, 'ascend', ['ProfilerStep#50']],
    [ASCEND_L1, 'ascend', ['ProfilerStep#50']],
    [ASCEND_L2, 'ascend', ['ProfilerStep#50']],
    [ASCEND_2024, 'ascend', ['ProfilerStep#1']],
    [CPU_ONLY, 'cpu', ['ProfilerStep#551']],
    [TRITON, 'cuda', ['ProfilerStep#1']],
    [EVENT_SYNC, 'cuda', ['ProfilerStep#100']],
    [AMD, 'rocm', ['ProfilerStep#1', 'ProfilerStep#2']],
    [ALEXNET, 'cuda', []],
    [DLRM, 'cuda', ['ProfilerStep#10']],
    [
      NS_RESOLUTION,
      'cuda',
      ['ProfilerStep#101', 'ProfilerStep#102', 'ProfilerStep#103', 'ProfilerStep#104', 'ProfilerStep#105']
    ],
    [
      LEGACY_2021,
      'cuda',
      ['ProfilerStep#5', 'ProfilerStep#6', 'ProfilerStep#7', 'ProfilerStep#8', 'ProfilerStep#9', 'ProfilerStep#10']
    ],
    [
      CONTROL,
      'cuda',
      ['ProfilerStep#1009', 'ProfilerStep#1010', 'ProfilerStep#1011', 'ProfilerStep#1012', 'ProfilerStep#1013', 'ProfilerStep#1014']
    ]
  ])('reads %s as %s with every complete event and its steps', (file, backend, steps) => {
    const { model, events } = load(file);
    expect(model.backend).toBe(backend);
    expect(model.slices.count).toBe(completeEventCount(events));
    expect(model.steps.map(s => s.name)).toEqual(steps);
    expect(model.warnings).toEqual([]);
    expect(model.lanes.map(l => l.order)).toEqual(model.lanes.map((_, i) => i));
    // Sorted by lane then start; the first slice or instant is at 0.
    let minStart = Infinity;
    for (let i = 1; i < model.slices.count; i++) {
      const sameLane = model.slices.lane[i] === model.slices.lane[i - 1];
      expect(model.slices.lane[i] >= model.slices.lane[i - 1]).toBe(true);
      if (sameLane) {
        expect(model.slices.start[i] >= model.slices.start[i - 1]).toBe(true);
      }
      minStart = Math.min(minStart, model.slices.start[i]);
    }
    expect(minStart).toBeGreaterThanOrEqual(0);
    expect(model.spanUs).toBeGreaterThan(0);
  });

  it('labels the lanes of an Ascend Level1 trace as MindStudio Insight does', () => {
    const { model } = load(ASCEND_L1);
    expect(labels(model, 'host')).toEqual([
      'Python Thread 3096504',
      'Python Thread 3105075'
    ]);
    expect(labels(model, 'dispatch')).toEqual([
      'Task Queue Thread 3099702',
      'CANN Thread 3096504',
      'CANN Thread 3099702',
      'CANN Thread 3099703',
      'CANN Thread 3105075'
    ]);
    expect(labels(model, 'device')).toEqual([
      'Ascend Hardware Stream 0',
      'Ascend Hardware Stream 2',
      'Ascend Hardware Stream 3',
      'Ascend Hardware Stream 4'
    ]);
    expect(labels(model, 'communication')).toContain('HCCL Group 0 Communication');
    expect(labels(model, 'communication')).toContain('HCCL Plane 7');
    expect(labels(model, 'other')).toEqual([
      'Overlap Analysis Computing',
      'Overlap Analysis Communication',
      'Overlap Analysis Communication(Not Overlapped)',
      'Overlap Analysis Free'
    ]);
    expect(model.meta.device).toBe('Ascend NPU');
  });

  it('links almost every Ascend Level1 hardware task to the CANN call that launched it', () => {
    const { model } = load(ASCEND_L1);
    const targets = new Set(model.links.to);
    let tasks = 0;
    let linked = 0;
    for (let i = 0; i < model.slices.count; i++) {
      if (model.lanes[model.slices.lane[i]].processName === 'Ascend Hardware') {
        tasks++;
        linked += targets.has(i) ? 1 : 0;
      }
    }
    // docs/trace-formats.md: 533 of 535 tasks carry a matching connection_id.
    expect(tasks).toBe(535);
    expect(linked).toBeGreaterThanOrEqual(533);
    for (let k = 0; k < model.links.count; k++) {
      const from = model.lanes[model.slices.lane[model.links.from[k]]];
      expect(from.kind === 'dispatch' || from.kind === 'host').toBe(true);
      expect(
        model.slices.correlation[model.links.from[k]] ===
          model.slices.correlation[model.links.to[k]] ||
          from.processName === 'Python'
      ).toBe(true);
    }
    const node = model.names.indexOf('Node@launch');
    expect(model.links.from.some(i => model.slices.name[i] === node)).toBe(true);
  });

  it('classifies Ascend compile, sync, queue and launch slices', () => {
    const { model } = load(ASCEND_L1);
    const kinds = new Map<string, string>();
    for (let i = 0; i < model.slices.count; i++) {
      kinds.set(nameOf(model, i), workOf(model, i));
    }
    expect(kinds.get('AscendCL@aclopCompileAndExecute')).toBe('compile');
    expect(kinds.get('AscendCL@opCompile')).toBe('compile');
    expect(kinds.get('AscendCL@aclrtSynchronizeStreamWithTimeout')).toBe('sync');
    expect(kinds.get('AscendCL@aclrtMemcpyAsync')).toBe('copy');
    expect(kinds.get('Node@launch')).toBe('launch');
    expect(kinds.get('Enqueue')).toBe('queue');
    expect(kinds.get('Dequeue@Conv2D')).toBe('queue');
    expect(kinds.get('MEMCPY_ASYNC')).toBe('copy');
    expect(kinds.get('trans_TransData_0')).toBe('kernel');
    expect(kinds.get('ProfilerStep#50')).toBe('step');
    expect(kinds.get('aten::empty')).toBe('op');
    expect(kinds.get('nn.Module: Conv2d_0')).toBe('python');
    expect(kinds.get('Free')).toBe('other');
  });

  it('classifies the Runtime layer of an Ascend Level2 trace', () => {
    const { model } = load(ASCEND_L2);
    const kinds = new Map<string, string>();
    for (let i = 0; i < model.slices.count; i++) {
      kinds.set(nameOf(model, i), workOf(model, i));
    }
    expect(kinds.get('Runtime@StreamSynchronize')).toBe('sync');
    expect(kinds.get('Runtime@KernelLaunchWithHandle')).toBe('launch');
    expect(kinds.get('Runtime@MemcpyAsync')).toBe('copy');
  });

  it.each([ASCEND_L1, ASCEND_L2])(
    'keeps device tasks on the compute streams of %s from overlapping (exact ts)',
    file => {
      const { model } = load(file);
      // Stream 4 carries the collective tasks, which overlap by design.
      for (const label of [
        'Ascend Hardware Stream 0',
        'Ascend Hardware Stream 2',
        'Ascend Hardware Stream 3'
      ]) {
        const on = slicesOn(model, laneIndex(model, label));
        expect(on.length).toBeGreaterThan(0);
        for (let k = 1; k < on.length; k++) {
          const prevEnd = model.slices.start[on[k - 1]] + model.slices.dur[on[k - 1]];
          expect(model.slices.start[on[k]]).toBeGreaterThanOrEqual(prevEnd);
          expect(model.slices.depth[on[k]]).toBe(0);
        }
      }
    }
  );

  it.each([ASCEND_L0, ASCEND_L1, ASCEND_L2, ASCEND_2024])(
    'stacks on the device streams of %s only tasks that overlap in the raw decimal text',
    file => {
      const { model, events } = load(file);
      const hardware = new Set(
        events
          .filter(e => e.ph === 'M' && e.name === 'process_name' && e.args?.name === 'Ascend Hardware')
          .map(e => String(e.pid))
      );
      const byStream = new Map<string, any[]>();
      for (const e of events) {
        if (e.ph === 'X' && hardware.has(String(e.pid))) {
          byStream.set(String(e.tid), [...(byStream.get(String(e.tid)) ?? []), e]);
        }
      }
      // Times as exact integers of 1e-18 µs: `ts` text has 3 decimals, `dur` up to ~16.
      const exact = (text: string): bigint => {
        const [int, frac = ''] = text.split('.');
        return BigInt(int) * 10n ** 18n + BigInt(frac.padEnd(18, '0').slice(0, 18));
      };
      expect(byStream.size).toBeGreaterThan(0);
      for (const [tid, tasks] of byStream) {
        const starts = tasks.map(e => exact(e.ts));
        const ends = tasks.map((e, k) => starts[k] + exact(String(e.dur ?? 0)));
        const order = tasks.map((_, k) => k).sort((x, y) =>
          starts[x] < starts[y] ? -1 : starts[x] > starts[y] ? 1 : ends[x] > ends[y] ? -1 : ends[x] < ends[y] ? 1 : 0
        );
        // In the text: whether each task starts before an earlier one ended.
        const overlapsInText = new Map<number, boolean>();
        let latestEnd = -1n;
        for (const k of order) {
          overlapsInText.set(k, starts[k] < latestEnd);
          latestEnd = ends[k] > latestEnd ? ends[k] : latestEnd;
        }
        // The model's tasks in the same order: start, longer first.
        const on = slicesOn(model, laneIndex(model, `Ascend Hardware Stream ${tid}`)).sort(
          (x, y) => model.slices.start[x] - model.slices.start[y] || model.slices.dur[y] - model.slices.dur[x]
        );
        expect(on.length).toBe(tasks.length);
        const fake = order.filter((k, j) => model.slices.depth[on[j]] > 0 && !overlapsInText.get(k));
        expect(fake.map(k => `${tasks[k].name} at ${tasks[k].ts}`), `stream ${tid}`).toEqual([]);
        if (![...overlapsInText.values()].some(Boolean)) {
          expect(on.every(i => model.slices.depth[i] === 0), `stream ${tid}`).toBe(true);
        }
      }
    }
  );

  it.each([TRITON, EVENT_SYNC, AMD, ALEXNET, DLRM, NS_RESOLUTION, LEGACY_2021, CONTROL])(
    'links in %s every GPU event whose correlation a host call carries, and no other',
    file => {
      const { model, events } = load(file);
      const GPU_CATEGORIES = new Set(['kernel', 'gpu_memcpy', 'gpu_memset', 'cuda_sync', 'Kernel', 'Memcpy', 'Memset']);
      const correlationOf = (e: any): number | undefined =>
        typeof e.args?.correlation === 'number' ? e.args.correlation : undefined;
      const complete = events.filter(e => e.ph === 'X' && e.pid !== 'Spans' && e.pid !== 'Traces');
      const hostCorrelations = new Set(
        complete
          .filter(e => !GPU_CATEGORIES.has(e.cat) && e.cat !== 'gpu_user_annotation')
          .map(correlationOf)
          .filter(c => c !== undefined)
      );
      const expected = complete.filter(
        e => GPU_CATEGORIES.has(e.cat) && hostCorrelations.has(correlationOf(e) as number)
      ).length;
      const linked = new Set(
        Array.from(model.links.to).filter(i => model.lanes[model.slices.lane[i]].kind === 'device')
      );
      expect(linked.size).toBe(expected);
      expect(model.links.count).toBe(expected);
    }
  );

  it('rebases a torch_npu ts string exactly on the origin', () => {
    const { model, events } = load(ASCEND_L1);
    // The origin is the earliest slice start, exactly as written.
    const starts = events
      .filter(e => e.ph === 'X')
      .map(e => e.ts as string)
      .sort((a, b) => (BigInt(a.replace('.', '')) < BigInt(b.replace('.', '')) ? -1 : 1));
    expect(model.meta.originUs).toBe(starts[0].replace(/0+$/, '').replace(/\.$/, ''));
    const i = model.names.indexOf('trans_TransData_0');
    const slice = Array.from({ length: model.slices.count }, (_, k) => k).find(
      k => model.slices.name[k] === i
    )!;
    expect(model.slices.start[slice]).toBe(
      expectedStart(model, '1736408883704643.212')
    );
    expect(model.slices.dur[slice]).toBe(53.7410625);
  });

  it('links Level0 device tasks through torch_to_npu flows with ids above 2^53', () => {
    const { model, events } = load(ASCEND_L0);
    expect(labels(model, 'dispatch')).toEqual(['Task Queue Thread 3020403']);
    // Count the flows independently from the raw text, where ids stay exact.
    const text = new TextDecoder().decode(publicTraceBytes(ASCEND_L0));
    const ids = new Map<string, Set<string>>();
    for (const m of text.matchAll(/\{[^{}]*"name": "torch_to_npu"[^{}]*\}/g)) {
      const ph = /"ph": "(\w)"/.exec(m[0])![1];
      const id = /"id": (\d+)/.exec(m[0])![1];
      expect(id.length).toBeGreaterThan(16);
      if (!ids.has(id)) {
        ids.set(id, new Set());
      }
      ids.get(id)!.add(ph);
    }
    const paired = [...ids.values()].filter(s => s.has('s') && s.has('f')).length;
    expect(paired).toBeGreaterThan(200);
    expect(events.some(e => e.name === 'torch_to_npu' && !Number.isSafeInteger(e.id))).toBe(true);
    expect(model.links.count).toBe(paired);
    for (let k = 0; k < model.links.count; k++) {
      expect(model.lanes[model.slices.lane[model.links.from[k]]].kind).toBe('host');
      expect(model.lanes[model.slices.lane[model.links.to[k]]].kind).toMatch(
        /device|communication/
      );
    }
  });

  it('reads the 2024 torch_npu format with Stream Id args and AI CPU tasks', () => {
    const { model } = load(ASCEND_2024);
    expect(labels(model, 'device')).toEqual(['Ascend Hardware Stream 3']);
    const names = new Set(
      Array.from({ length: model.slices.count }, (_, i) => nameOf(model, i))
    );
    expect(names.has('aclnnCast_CastAiCpu_Cast')).toBe(true);
    expect(model.links.count).toBeGreaterThan(200);
  });

  it('puts GPU streams on device lanes and GPU annotations on their own lane', () => {
    const { model } = load(NS_RESOLUTION);
    expect(labels(model, 'device')).toEqual(['GPU 0 stream 7']);
    expect(labels(model, 'other')).toEqual(['GPU 0 annotations']);
    expect(labels(model, 'host')).toContain('Thread 1102 (pt_main_thread)');
    const annotations = slicesOn(model, laneIndex(model, 'GPU 0 annotations'));
    expect(annotations).toHaveLength(15);
    expect(annotations.every(i => workOf(model, i) === 'other')).toBe(true);
    expect(model.meta.device).toBe('Tesla V100-SXM2-32GB');
  });

  it('keeps the sub-microsecond decimals of Kineto float timestamps', () => {
    const { model } = load(NS_RESOLUTION);
    // As written in the file: "ts": 1712195495505543.140 (a double holds .125).
    const i = model.slices.correlation.indexOf(135071);
    expect(nameOf(model, i)).toBe('cudaLaunchKernel');
    const ps = (us: string): bigint => {
      const [w, f = ''] = us.split('.');
      return BigInt(w) * 1000000n + BigInt(f.padEnd(6, '0'));
    };
    expect(model.slices.start[i]).toBe(
      Number(ps('1712195495505543.140') - ps(model.meta.originUs)) / 1e6
    );
    // The ac2g flow start and the call share the ts: the same text gives the same start.
    expect(ps(model.meta.originUs) % 1000000n).not.toBe(0n);
  });

  it('links DLRM runtime calls to their GPU work and finds the GPU streams', () => {
    const { model } = load(DLRM);
    expect(labels(model, 'device')).toEqual([
      'GPU 0 stream 7',
      'GPU 0 stream 22',
      'GPU 0 stream 24',
      'GPU 0 stream 84'
    ]);
    expect(model.links.count).toBeGreaterThan(200);
    for (let k = 0; k < model.links.count; k++) {
      expect(model.slices.correlation[model.links.from[k]]).toBe(
        model.slices.correlation[model.links.to[k]]
      );
    }
    const memcpy = model.names.indexOf('cudaMemcpyAsync');
    const sync = model.names.indexOf('cudaStreamSynchronize');
    expect(model.slices.work[model.slices.name.indexOf(memcpy)]).toBe(
      WORK_KINDS.indexOf('copy')
    );
    expect(model.slices.work[model.slices.name.indexOf(sync)]).toBe(
      WORK_KINDS.indexOf('sync')
    );
  });

  it('has no device lanes in a CPU-only trace', () => {
    const { model } = load(CPU_ONLY);
    expect(model.lanes.every(l => l.kind === 'host')).toBe(true);
    expect(model.links.count).toBe(0);
    expect(model.meta.device).toBe('');
  });

  it('adds baseTimeNanoseconds to relative Kineto times and records the versions', () => {
    const { model } = load(TRITON);
    expect(model.meta.originUs).toBe('1730156791096090.1');
    expect(model.meta.versions).toMatchObject({
      cuda_runtime_version: '12000',
      cupti_version: '18'
    });
    expect(model.links.count).toBe(1);
  });

  it('records the rank and job size of distributed Kineto traces', () => {
    expect(load(CONTROL).model.meta).toMatchObject({ rank: '3', worldSize: '8' });
    expect(load(DLRM).model.meta).toMatchObject({ rank: '0', worldSize: '8' });
    expect(load(CPU_ONLY).model.meta).toMatchObject({ rank: '34', worldSize: '300' });
    // No distributedInfo at all, or an Ascend trace (its rank is in profiler_info, beside it).
    expect(load(TRITON).model.meta.rank).toBeUndefined();
    expect(load(ASCEND_L1).model.meta.rank).toBeUndefined();
  });

  it('reads ROCm runtime calls as a rocm trace', () => {
    const { model } = load(AMD);
    expect(labels(model, 'device')).toEqual(['GPU 2 stream 0']);
    const launch = model.names.indexOf('hipLaunchKernel');
    expect(model.slices.work[model.slices.name.indexOf(launch)]).toBe(
      WORK_KINDS.indexOf('launch')
    );
  });

  it('reads device-wide cuda_sync events and string stream tids', () => {
    expect(labels(load(EVENT_SYNC).model, 'device')).toEqual([
      'GPU 0 stream -1 (Device 0)',
      'GPU 0 stream 7'
    ]);
    expect(labels(load(LEGACY_2021).model, 'device')).toEqual(['GPU 0 stream 7']);
    expect(labels(load(ALEXNET).model, 'device')).toContain('GPU 0 stream 20');
  });
});
