/**
 * A kernel that works outside the server's root: the server cannot serve the
 * trace, so the view reads it through the kernel, in chunks.
 */
import { expect, test } from '@jupyterlab/galata';
import { PROFILE_OUTPUT, waitForProfile } from './helpers';

test.use({ autoGoto: true });

test('profiles a cell whose kernel changed directory outside the server root', async ({ page }) => {
  const notFound: string[] = [];
  page.on('response', response => {
    if (response.status() === 404 && response.url().includes('/files/')) {
      notFound.push(response.url());
    }
  });
  await page.notebook.createNew('outside.ipynb');
  await page.notebook.setCell(0, 'code', 'import os, tempfile\nos.chdir(tempfile.mkdtemp())\nprint(os.getcwd())');
  await page.notebook.addCell('code', "import torch\ny = (torch.ones(16, 16) @ torch.ones(16, 16)).to('cpu')");
  await page.notebook.runCell(0);
  await page.notebook.selectCells(1);
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell')
  );
  await waitForProfile(page, 2);
  const view = page.locator('.jp-Notebook .jp-Cell').nth(2).locator(PROFILE_OUTPUT);
  await expect(view.locator('.jp-AscendProfiler-header')).toContainText('CPU only');
  await expect(view.locator('.jp-AscendProfiler-timeline canvas')).toBeVisible();
  // The server could not serve it; the view did not stop there.
  expect(notFound.length).toBeGreaterThan(0);
});
