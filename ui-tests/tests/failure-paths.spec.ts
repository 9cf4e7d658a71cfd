/**
 * Failure paths: a kernel restart in the middle of a profile leaves nothing
 * hanging, and two cells profiled one after the other keep their outputs apart.
 */
import { expect, test } from '@jupyterlab/galata';
import { PROFILE_OUTPUT, cellSource, waitForProfile } from './helpers';

test.use({ autoGoto: true });

/** Run the profile command on cell `index` without waiting for the profile. */
async function profile(page: any, index: number): Promise<void> {
  await page.notebook.selectCells(index);
  await page.evaluate(() => {
    void (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell');
  });
}

test.describe('ascend-profiler:profile-cell when things go wrong', () => {
  test('a kernel restart during a profile hangs nothing, and the next click profiles', async ({
    page
  }) => {
    await page.notebook.createNew('restart.ipynb');
    await page.notebook.setCell(0, 'code', 'import time\ntime.sleep(60)');
    await profile(page, 0);
    // Wait until the profiling cell is queued or running, then restart under it.
    await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(2);
    await page.waitForTimeout(3000);
    await page.evaluate(async () => {
      const panel = (window as any).jupyterapp.shell.currentWidget;
      await panel.sessionContext.restartKernel();
    });
    // As a user would: click again once the restarted kernel is idle.
    await page.waitForFunction(() => {
      const panel = (window as any).jupyterapp.shell.currentWidget;
      return panel.sessionContext.session?.kernel?.status === 'idle';
    });
    await page.notebook.setCell(0, 'code', "import torch\nx = torch.ones(4).to('cpu')");
    await profile(page, 0);
    await waitForProfile(page, 1);
    const view = page.locator('.jp-Notebook .jp-Cell').nth(1).locator(PROFILE_OUTPUT);
    await expect(view.locator('.jp-AscendProfiler-header')).toContainText('CPU only');
    // The earlier profiling cell was reused, not piled up.
    await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(2);
  });

  test('two cells profiled one after the other keep their outputs apart', async ({ page }) => {
    await page.notebook.createNew('two.ipynb');
    await page.notebook.setCell(0, 'code', "import torch\na = torch.ones(3).to('cpu')");
    await page.notebook.addCell('code', "import torch\nb = torch.zeros(4).to('cpu')");
    await profile(page, 0);
    await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(3);
    await profile(page, 2);
    await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(4);
    await waitForProfile(page, 1);
    await waitForProfile(page, 3);
    expect(await cellSource(page, 1)).toContain('torch.ones(3)');
    expect(await cellSource(page, 3)).toContain('torch.zeros(4)');
    const cells = page.locator('.jp-Notebook .jp-Cell');
    const folderA = await cells.nth(1).locator(`${PROFILE_OUTPUT} .jp-AscendProfiler-footer`).textContent();
    const folderB = await cells.nth(3).locator(`${PROFILE_OUTPUT} .jp-AscendProfiler-footer`).textContent();
    expect(folderA).toMatch(/run_/);
    expect(folderB).toMatch(/run_/);
    expect(folderA).not.toBe(folderB);
    // Each profiling cell has exactly one profile output.
    await expect(cells.nth(1).locator(PROFILE_OUTPUT)).toHaveCount(1);
    await expect(cells.nth(3).locator(PROFILE_OUTPUT)).toHaveCount(1);
  });
});
