/**
 * Settings that only a new process picks up (TASK_QUEUE_ENABLE): the two
 * restart-aware flows, end to end, on the Ascend path through the torch_npu
 * TEST DOUBLE that replays a real recorded profile.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import {
  PROFILE_OUTPUT,
  REPO_ROOT,
  cellSource,
  findCell,
  shutDownKernels,
  waitForProfile
} from './helpers';

// `kernels: null`: Galata's kernel-tracking route answers every POST under /api/kernels with
// 201, and JupyterLab rejects a restart answered with anything but 200.
test.use({ autoGoto: true, kernels: null as any });
test.afterEach(async ({ page }) => shutDownKernels(page));

/** The env recorded in the profile bundle shown by cell `index`. */
async function recordedEnv(page: any, index: number): Promise<Record<string, string | null>> {
  return page.evaluate((i: number) => {
    const nb = (window as any).jupyterapp.shell.currentWidget.content;
    const outputs = nb.model.cells.get(i).sharedModel.outputs as any[];
    const out = outputs.find(o => o.data?.['application/vnd.ascend-profiler.v1+json']);
    return out.data['application/vnd.ascend-profiler.v1+json'].env;
  }, index);
}

/** The user's cell profiled in these tests. */
const USER_CODE = "import torch\ny = (torch.ones(8, 8) * 3).to('cpu')";

/**
 * A new notebook: cell 0 is `firstCell` (it makes the torch_npu TEST DOUBLE importable), cell 1
 * the user's code; cell 0 runs, cell 1 is profiled and its profile (cell 2) shown.
 */
async function setUp(page: any, name: string, firstCell: string): Promise<void> {
  await page.notebook.createNew(name);
  await page.notebook.setCell(0, 'code', firstCell);
  await page.notebook.addCell('code', USER_CODE);
  await page.notebook.runCell(0);
  await page.notebook.selectCells(1);
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell')
  );
  await waitForProfile(page, 2);
}

test.describe('restart-aware Apply', () => {
  test('"Profile in a fresh process" shows a profile whose recorded environment has the setting', async ({
    page
  }) => {
    const doubles = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu');
    await setUp(page, 'fresh.ipynb', `import sys\nsys.path.insert(0, ${JSON.stringify(doubles)})`);
    const view = page.locator('.jp-Notebook .jp-Cell').nth(2).locator(PROFILE_OUTPUT);
    const finding = view.locator('[data-finding-id="sync-wait"]');
    await expect(finding.locator('.jp-AscendProfiler-restartNote')).toContainText('TASK_QUEUE_ENABLE');
    await finding.locator('.jp-AscendProfiler-restartFlow', { hasText: 'fresh process' }).click();
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await waitForProfile(page, 3);
    expect(await cellSource(page, 3)).toContain('ascend-profiler');
    const env = await recordedEnv(page, 3);
    expect(env.TASK_QUEUE_ENABLE).toBe('2');
    // The kernel itself is untouched.
    expect((await recordedEnv(page, 2)).TASK_QUEUE_ENABLE ?? null).toBeNull();
  });

  test('"Restart kernel and apply" puts the settings first, restarts, re-runs and profiles with them in effect', async ({
    page,
    tmpPath
  }) => {
    // The kernel must import torch_npu from the settings cell at the very top, before any cell of
    // the notebook runs: so the TEST DOUBLE goes into the notebook's folder (the kernel's working
    // directory), and the recorded profile it replays is named by an environment variable.
    const doubles = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu', 'torch_npu');
    for (const file of ['__init__.py', 'npu.py', 'profiler.py']) {
      await page.contents.uploadFile(path.join(doubles, file), `${tmpPath}/torch_npu/${file}`);
    }
    const replayed = path.join(
      REPO_ROOT, 'test', 'fixtures', 'public-traces', 'ascend-msinsight', 'level1', 'rank0_ascend_pt'
    );
    await setUp(
      page,
      'restart.ipynb',
      `import os\nos.environ["ASCEND_PROFILER_REPLAY_SOURCE"] = ${JSON.stringify(replayed)}`
    );
    expect((await recordedEnv(page, 2)).TASK_QUEUE_ENABLE ?? null).toBeNull();

    const view = page.locator('.jp-Notebook .jp-Cell').nth(2).locator(PROFILE_OUTPUT);
    const finding = view.locator('[data-finding-id="sync-wait"]');
    await finding.locator('.jp-AscendProfiler-restartFlow', { hasText: 'Restart kernel' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('TASK_QUEUE_ENABLE');
    await dialog.locator('.jp-mod-accept').click();

    // The settings cell is first; the user's cells follow, unchanged.
    await expect.poll(() => findCell(page, 'settings that act only in a fresh kernel')).toBe(0);
    const settings = await cellSource(page, 0);
    expect(settings.indexOf('import torch_npu')).toBeGreaterThan(-1);
    expect(settings.indexOf('TASK_QUEUE_ENABLE')).toBeGreaterThan(settings.indexOf('import torch_npu'));
    expect(await cellSource(page, 2)).toBe(USER_CODE);

    // The profiling cell (now cell 3) ran again in the restarted kernel and recorded the setting;
    // its history keeps the profile from before, so the view compares the two.
    await expect
      .poll(async () => (await recordedEnv(page, 3).catch(() => ({} as any))).TASK_QUEUE_ENABLE ?? null, {
        timeout: 180_000
      })
      .toBe('2');
    await waitForProfile(page, 3);
    const after = page.locator('.jp-Notebook .jp-Cell').nth(3).locator(PROFILE_OUTPUT);
    await expect(after.locator('.jp-AscendProfiler-comparison')).toContainText(
      'TASK_QUEUE_ENABLE: unset → 2'
    );
    // The kernel really restarted: execution counts start again at 1, from the top, in order.
    const counts = await page.evaluate(() => {
      const nb = (window as any).jupyterapp.shell.currentWidget.content;
      return [0, 1, 2, 3].map(i => nb.model.cells.get(i).executionCount as number | null);
    });
    expect(counts).toEqual([1, 2, 3, 4]);
  });
});
