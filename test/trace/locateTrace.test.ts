import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import {
  describeProgress,
  formatBytes,
  isTraceFileName,
  locateForFile,
  locateInFolder,
  looksLikeProfileFolder,
  type IFolderEntry,
  type ListFolder
} from '../../src/trace/locateTrace';

const ROOT = path.resolve(__dirname, '..', 'fixtures', 'public-traces');

/** Lists the public fixtures as the Contents API would (server root = public-traces). */
const listFixtures: ListFolder = async folder => {
  const dir = path.join(ROOT, folder);
  return fs.readdirSync(dir, { withFileTypes: true }).map(d => {
    const rel = folder ? `${folder}/${d.name}` : d.name;
    return {
      name: d.name,
      path: rel,
      type: d.isDirectory() ? 'directory' : 'file',
      size: d.isDirectory() ? null : fs.statSync(path.join(dir, d.name)).size
    };
  });
};

/** A listing from a plain object: folder → entries. */
function fakeList(tree: Record<string, Omit<IFolderEntry, 'path'>[]>): ListFolder {
  return async folder => {
    const entries = tree[folder];
    if (!entries) {
      throw new Error(`no folder ${folder}`);
    }
    return entries.map(e => ({ ...e, path: folder ? `${folder}/${e.name}` : e.name }));
  };
}

const RUN = 'ascend-msinsight/level1/rank0_ascend_pt';

describe('locateInFolder on a public *_ascend_pt folder', () => {
  it('finds trace_view.json.gz and the sibling files the checklist reads', async () => {
    const target = await locateInFolder(RUN, listFixtures);
    expect(target).not.toBeNull();
    expect(target!.tracePath).toBe(`${RUN}/ASCEND_PROFILER_OUTPUT/trace_view.json.gz`);
    expect(target!.traceSize).toBeGreaterThan(0);
    expect(target!.runDir).toBe(RUN);
    expect(Object.keys(target!.siblings).sort()).toEqual([
      'ASCEND_PROFILER_OUTPUT/api_statistic.csv',
      'ASCEND_PROFILER_OUTPUT/kernel_details.csv',
      'ASCEND_PROFILER_OUTPUT/memory_record.csv',
      'ASCEND_PROFILER_OUTPUT/step_trace_time.csv',
      'profiler_info_0.json',
      'profiler_metadata.json'
    ]);
    expect(target!.siblings['profiler_info_0.json']).toBe(`${RUN}/profiler_info_0.json`);
    // Files the checklist does not read are not fetched.
    expect(Object.keys(target!.siblings).join()).not.toContain('op_statistic');
  });

  it('gives the same answer for its ASCEND_PROFILER_OUTPUT folder and for the trace file', async () => {
    const fromRun = await locateInFolder(RUN, listFixtures);
    const fromOutput = await locateInFolder(`${RUN}/ASCEND_PROFILER_OUTPUT`, listFixtures);
    const fromFile = await locateForFile(fromRun!.tracePath, listFixtures);
    expect(fromOutput).toEqual(fromRun);
    expect(fromFile).toEqual(fromRun);
  });

  it('opens the first run of a folder holding several runs and names the others', async () => {
    const target = await locateInFolder('', fakeList({
      '': [
        { name: 'rank1_ascend_pt', type: 'directory' },
        { name: 'rank0_ascend_pt', type: 'directory' }
      ],
      rank0_ascend_pt: [{ name: 'ASCEND_PROFILER_OUTPUT', type: 'directory' }],
      'rank0_ascend_pt/ASCEND_PROFILER_OUTPUT': [{ name: 'trace_view.json', type: 'file', size: 10 }],
      rank1_ascend_pt: []
    }));
    expect(target?.tracePath).toBe('rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json');
    expect(target?.others).toEqual(['rank1_ascend_pt']);
  });
});

describe('locateInFolder on a run with a compressed copy of its trace', () => {
  it('reads the plain trace_view.json and offers the .gz copy as no other run', async () => {
    const target = await locateInFolder('r_ascend_pt', fakeList({
      r_ascend_pt: [{ name: 'ASCEND_PROFILER_OUTPUT', type: 'directory' }],
      'r_ascend_pt/ASCEND_PROFILER_OUTPUT': [
        { name: 'trace_view.json.gz', type: 'file', size: 3 },
        { name: 'trace_view.json', type: 'file', size: 10 }
      ]
    }));
    expect(target?.tracePath).toBe('r_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json');
    expect(target?.others).toEqual([]);
  });
});

describe('locateInFolder on other folders', () => {
  it('picks the newest Kineto trace of a log folder and names the others', async () => {
    const target = await locateInFolder('log', fakeList({
      log: [
        { name: 'notes.txt', type: 'file' },
        { name: 'a.pt.trace.json', type: 'file', size: 5, last_modified: '2025-01-01T00:00:00Z' },
        { name: 'b.pt.trace.json.gz', type: 'file', size: 7, last_modified: '2025-02-01T00:00:00Z' }
      ]
    }));
    expect(target?.tracePath).toBe('log/b.pt.trace.json.gz');
    expect(target?.traceSize).toBe(7);
    expect(target?.siblings).toEqual({});
    expect(target?.others).toEqual(['log/a.pt.trace.json']);
  });

  it('takes a compressed copy beside a Kineto trace for the same run', async () => {
    const target = await locateInFolder('log', fakeList({
      log: [
        { name: 'w0.pt.trace.json.gz', type: 'file', size: 2, last_modified: '2025-03-01T00:00:00Z' },
        { name: 'w0.pt.trace.json', type: 'file', size: 9, last_modified: '2025-01-01T00:00:00Z' },
        { name: 'w1.pt.trace.json', type: 'file', size: 9, last_modified: '2025-01-01T00:00:00Z' }
      ]
    }));
    expect(target?.tracePath).toBe('log/w0.pt.trace.json');
    expect(target?.others).toEqual(['log/w1.pt.trace.json']);
  });

  it('returns null for a folder without a trace', async () => {
    expect(await locateInFolder('empty_ascend_pt', fakeList({ empty_ascend_pt: [] }))).toBeNull();
  });

  it('leaves out sibling files too large to read in the browser', async () => {
    const target = await locateInFolder('r_ascend_pt', fakeList({
      r_ascend_pt: [{ name: 'ASCEND_PROFILER_OUTPUT', type: 'directory' }],
      'r_ascend_pt/ASCEND_PROFILER_OUTPUT': [
        { name: 'trace_view.json', type: 'file', size: 10 },
        { name: 'kernel_details.csv', type: 'file', size: 2 ** 40 }
      ]
    }));
    expect(target?.siblings).toEqual({});
    expect(target?.tooLarge).toEqual(['ASCEND_PROFILER_OUTPUT/kernel_details.csv']);
  });
});

describe('locateForFile', () => {
  it('reads no siblings for a Kineto trace and lists nothing', async () => {
    const list: ListFolder = async () => {
      throw new Error('should not list');
    };
    const target = await locateForFile('x/y.pt.trace.json.gz', list, 42);
    expect(target).toEqual({
      tracePath: 'x/y.pt.trace.json.gz',
      traceSize: 42,
      runDir: 'x',
      siblings: {},
      tooLarge: [],
      others: []
    });
  });
});

describe('names', () => {
  it.each([
    ['trace_view.json', true],
    ['trace_view.json.gz', true],
    ['rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz', true],
    ['worker.pt.trace.json', true],
    ['trace_view.json.bak', false],
    ['data.json', false]
  ])('%s is a trace name: %s', (name, expected) => {
    expect(isTraceFileName(name)).toBe(expected);
  });

  it('recognises profile folders', () => {
    expect(looksLikeProfileFolder('rank0_ascend_pt')).toBe(true);
    expect(looksLikeProfileFolder('ASCEND_PROFILER_OUTPUT')).toBe(true);
    expect(looksLikeProfileFolder('src')).toBe(false);
  });
});

describe('progress wording', () => {
  it.each([
    [512, '512 B'],
    [12 * 1024, '12 KB'],
    [3.4 * 1024 ** 2, '3.4 MB'],
    [1.25 * 1024 ** 3, '1.25 GB']
  ])('formats %s bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('gives a percentage only when the total is known', () => {
    expect(describeProgress(25 * 1024 ** 2, 100 * 1024 ** 2)).toEqual({
      loaded: '25.0 MB',
      total: '100.0 MB',
      percent: 25
    });
    expect(describeProgress(1024, null)).toEqual({ loaded: '1 KB', total: null, percent: null });
  });
});
