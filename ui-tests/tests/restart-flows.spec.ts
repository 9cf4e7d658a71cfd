/**
 * Settings that only a new process picks up (TASK_QUEUE_ENABLE): the two
 * restart-aware flows, end to end, on the Ascend path through the torch_npu
 * TEST DOUBLE that replays a real recorded profile.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import { PROFILE_OUTPUT, REPO_ROOT, cellSource, waitForProfile } from './helpers';

test.use({ autoGoto: true });

/** The env recorded in the profile bundle shown by cell `index`. */
async function recordedEnv(page: any, index: number): Promise<Record<string, string | null>> {
  return page.evaluate((i: number) => {
    const nb = (window as any).jupyterapp.shell.currentWidget.content;
    const outputs = nb.model.cells.get(i).sharedModel.outputs as any[];
    const out = outputs.find(o => o.data?.['application/vnd.ascend-profiler.v1+json']);
    return out.data['application/vnd.ascend-profiler.v1+json'].env;
  }, index);
}

async function setUp(page: any, name: string): Promise<void> {
  const doubles = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu');
  await page.notebook.createNew(name);
  await page.notebook.setCell(0, 'code', `import sys\nsys.path.insert(0, ${JSON.stringify(doubles)})`);
  await page.notebook.addCell('code', "import torch\ny = (torch.ones(8, 8) * 3).to('cpu')");
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
    await setUp(page, 'fresh.ipynb');
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
});
