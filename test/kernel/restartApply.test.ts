/**
 * "Restart and apply": the settings cell put at the top of the notebook, and needsRestart.
 * The settings cell is also RUN in a real python3 kernel with a torch_npu double that, like
 * torch_npu >= 6.0.RC3, forces TASK_QUEUE_ENABLE=0 when imported in a kernel (THE TRAP,
 * tuning-rules.md §4.1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// The pure builders need none of JupyterLab's DOM-bound modules; keep them out of node.
vi.mock('@jupyterlab/apputils', () => ({}));
vi.mock('@jupyterlab/notebook', () => ({}));
vi.mock('@lumino/widgets', () => ({}));

import {
  buildSettingsCell,
  isExtensionCell,
  needsRestart,
  SETTINGS_CELL_MARKER
} from '../../src/kernel/restartApply';
import { REMEDIES } from '../../src/kernel/remedies';
import { expectValidPython, runInKernel, streamOf, writeTrapDouble } from './freshHarness';

const ALL_ASCEND = Object.values(REMEDIES)
  .filter(r => r.backend === 'ascend')
  .map(r => r.id);

function lineOf(source: string, text: string): number {
  const index = source.split('\n').findIndex(line => line.startsWith(text));
  expect(index, `line starting with ${text}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe('needsRestart', () => {
  it('is true when any picked setting is read once per process', () => {
    expect(needsRestart(['ascend-task-queue-2'])).toBe(true);
    expect(needsRestart(['ascend-jit-compile-off', 'ascend-cpu-affinity'])).toBe(true);
    expect(needsRestart(['cuda-launch-blocking-off'])).toBe(true);
  });

  it('is false for runtime settings only, unknown ids and nothing', () => {
    expect(needsRestart(['ascend-jit-compile-off', 'cuda-tf32', 'python-gc-freeze'])).toBe(false);
    expect(needsRestart(['no-such-remedy'])).toBe(false);
    expect(needsRestart([])).toBe(false);
  });

  it('follows the restart field of every remedy', () => {
    for (const remedy of Object.values(REMEDIES)) {
      expect(needsRestart([remedy.id]), remedy.id).toBe(remedy.restart !== 'none');
    }
  });
});

describe('buildSettingsCell', () => {
  const cell = buildSettingsCell(ALL_ASCEND)!;

  it('starts with the marker and says why it must run first', () => {
    expect(cell.split('\n')[0]).toBe(SETTINGS_CELL_MARKER);
    expect(cell).toContain('must run first in a freshly restarted kernel');
    expect(isExtensionCell(cell, undefined)).toBe(true);
  });

  it('sets TASK_QUEUE_ENABLE after `import torch_npu`, which resets it in Jupyter', () => {
    expect(lineOf(cell, 'import torch_npu')).toBeLessThan(
      lineOf(cell, 'os.environ["TASK_QUEUE_ENABLE"] = "2"')
    );
  });

  it('sets the other environment variables before torch or torch_npu is imported', () => {
    const firstImport = lineOf(cell, 'import torch');
    for (const name of [
      'ASCEND_LAUNCH_BLOCKING',
      'ASCEND_GLOBAL_LOG_LEVEL',
      'ACLNN_CACHE_LIMIT',
      'HOST_CACHE_CAPACITY',
      'PYTORCH_NPU_ALLOC_CONF',
      'CPU_AFFINITY_CONF'
    ]) {
      expect(lineOf(cell, `os.environ["${name}"]`), name).toBeLessThan(firstImport);
    }
    expect(lineOf(cell, 'import os')).toBeLessThan(lineOf(cell, 'os.environ['));
  });

  it('applies runtime settings after the imports they need', () => {
    expect(lineOf(cell, 'torch_npu.npu.set_compile_mode')).toBeGreaterThan(
      lineOf(cell, 'import torch_npu')
    );
  });

  it('imports nothing but os for environment-only settings', () => {
    const envOnly = buildSettingsCell(['ascend-launch-blocking-off', 'ascend-cpu-affinity'])!;
    expect(envOnly).toContain('import os');
    expect(envOnly).not.toMatch(/^import torch/m);
  });

  it('skips unknown ids, applies duplicates once and returns null for nothing known', () => {
    const twice = buildSettingsCell(['ascend-task-queue-2', 'ascend-task-queue-2', 'bogus'])!;
    expect(twice.match(/TASK_QUEUE_ENABLE"\] = "2"/g)).toHaveLength(1);
    expect(buildSettingsCell(['bogus'])).toBeNull();
  });

  it('is valid Python for every remedy and for all together', () => {
    expectValidPython(buildSettingsCell(Object.keys(REMEDIES))!);
    for (const id of Object.keys(REMEDIES)) {
      expectValidPython(buildSettingsCell([id])!);
    }
  });
});

describe('the settings cell in a real kernel, with a torch_npu that springs the trap', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascend-settings-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves TASK_QUEUE_ENABLE at 2 for the notebook, even when a later cell imports torch_npu', async () => {
    const trap = writeTrapDouble(path.join(dir, 'trap'));
    const show = 'import os\nprint("TQ=%s ALB=%s" % (os.environ.get("TASK_QUEUE_ENABLE"), os.environ.get("ASCEND_LAUNCH_BLOCKING")))';
    const clean = await runInKernel(
      [
        buildSettingsCell(['ascend-task-queue-2', 'ascend-launch-blocking-off'])!,
        'import torch_npu',
        show
      ],
      dir,
      [trap]
    );
    expect(clean.map(r => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(streamOf(clean[0], 'stdout')).toContain('ascend-profiler: settings applied');
    expect(streamOf(clean[2], 'stdout')).toContain('TQ=2 ALB=0');

    // Control: the same env assignment BEFORE the import is lost to the trap.
    const naive = await runInKernel(
      ['import os\nos.environ["TASK_QUEUE_ENABLE"] = "2"\nimport torch_npu', show],
      dir,
      [trap]
    );
    expect(streamOf(naive[1], 'stdout')).toContain('TQ=0');
  });
});
