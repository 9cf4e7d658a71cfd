/**
 * Failure paths: two cells profiled one after the other keep their outputs
 * apart. (A kernel restart in the middle of a profile is not tested here: in
 * this server setup the page never leaves "Restarting" after any restart,
 * with or without our extension.)
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
