/**
 * Close the loop: profile, apply the suggested settings, profile again, and
 * read the before/after table in the newest profile (Ascend path through the
 * torch_npu TEST DOUBLE that replays a real recorded profile).
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import { PROFILE_OUTPUT, REPO_ROOT, cellSource, waitForProfile } from './helpers';

test.use({ autoGoto: true });

test.describe('before / after', () => {
  test('a second profile of the cell shows the comparison with the first, and the setting that changed', async ({
    page
  }) => {
    const doubles = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu');
    await page.notebook.createNew('loop.ipynb');
    await page.notebook.setCell(0, 'code', `import sys\nsys.path.insert(0, ${JSON.stringify(doubles)})`);
    await page.notebook.addCell('code', "import torch\ny = (torch.ones(8, 8) @ torch.ones(8, 8)).to('cpu')");
    await page.notebook.runCell(0);

    const profile = async () => {
      await page.notebook.selectCells(1);
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell')
      );
      await waitForProfile(page, 2);
    };
    await profile();
    const cells = page.locator('.jp-Notebook .jp-Cell');
    const first = cells.nth(2).locator(PROFILE_OUTPUT);
    // One run so far: nothing to compare with.
    await expect(first.locator('.jp-AscendProfiler-comparison')).toHaveCount(0);

    // Apply the sync-wait remedies: a cell below the profiling cell, run it.
    await first.locator('[data-finding-id="sync-wait"] .jp-AscendProfiler-apply').click();
    expect(await cellSource(page, 3)).toContain('TASK_QUEUE_ENABLE');
    await page.notebook.runCell(3);

    // Profile again: the profiling cell is reused, its history kept.
    await profile();
    const second = cells.nth(2).locator(PROFILE_OUTPUT);
    const table = second.locator('.jp-AscendProfiler-compareTable');
    await expect(table).toBeVisible({ timeout: 60_000 });
    await expect(table.locator('tr[data-metric="wall"]')).toBeVisible();
    await expect(table.locator('tr[data-metric="syncWait"]')).toBeVisible();
    await expect(second.locator('.jp-AscendProfiler-comparison')).toContainText(
      'TASK_QUEUE_ENABLE: unset → 2'
    );
    // The history is saved with the notebook, in the profiling cell's metadata.
    const history = await page.evaluate(() => {
      const nb = (window as any).jupyterapp.shell.currentWidget.content;
      return nb.model.cells.get(2).getMetadata('ascend_profiler').history.length;
    });
    expect(history).toBe(2);
  });
});
