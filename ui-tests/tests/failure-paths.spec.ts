/**
 * Failure paths: two cells profiled one after the other keep their outputs
 * apart; a kernel restart or an interrupt in the middle of a profile, or an
 * exception in the profiled code, hangs nothing, says what happened, and the
 * next profile works.
 */
import { expect, test } from '@jupyterlab/galata';
import { PROFILE_OUTPUT, cellSource, shutDownKernels, waitForProfile } from './helpers';

// `kernels: null`: Galata's kernel-tracking route answers every POST under /api/kernels with
// 201, and JupyterLab rejects a restart answered with anything but 200.
test.use({ autoGoto: true, kernels: null as any });
test.afterEach(async ({ page }) => shutDownKernels(page));

/** Run the profile command on cell `index` without waiting for the profile. */
async function profile(page: any, index: number): Promise<void> {
  await page.notebook.selectCells(index);
  await page.evaluate(() => {
    void (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell');
  });
}

/**
 * A new notebook whose cell 1 (`userCode`) sleeps for `DELAY` seconds (cell 0 sets 120), profiled;
 * resolves once the profiling cell has been running the user's code for a few seconds (torch
 * imported, profiler started).
 */
async function profileLongCell(page: any, name: string, userCode: string): Promise<void> {
  await page.notebook.createNew(name);
  await page.notebook.setCell(0, 'code', 'DELAY = 120');
  await page.notebook.addCell('code', userCode);
  await page.notebook.runCell(0);
  await profile(page, 1);
  await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(3);
  await expect
    .poll(() =>
      page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.kernelDisplayStatus)
    )
    .toBe('busy');
  await page.waitForTimeout(5000);
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

  test('a kernel restart during a profile is reported, and the next profile works', async ({ page }) => {
    const userCode = "import time, torch\ntime.sleep(DELAY)\ny = torch.ones(4).to('cpu')";
    await profileLongCell(page, 'restart-mid-profile.ipynb', userCode);
    await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.restartKernel());

    const profiling = page.locator('.jp-Notebook .jp-Cell').nth(2);
    await expect(
      profiling.locator('.jp-OutputArea-output', {
        hasText: 'the kernel restarted while this cell was being profiled'
      })
    ).toBeVisible({ timeout: 60_000 });
    await expect(profiling.locator(PROFILE_OUTPUT)).toHaveCount(0);
    expect(await cellSource(page, 1)).toBe(userCode);

    // As the message says: run the cells above again, then profile again.
    await page.notebook.setCell(0, 'code', 'DELAY = 0');
    await page.notebook.runCell(0);
    await profile(page, 1);
    await waitForProfile(page, 2);
    await expect(profiling.locator('.jp-OutputArea-output', { hasText: 'kernel restarted' })).toHaveCount(0);
    await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(3);
  });

  test('an exception in the profiled code shows as usual, and what ran before it is still analysed', async ({
    page
  }) => {
    const userCode = [
      'import torch',
      'x = torch.ones(256, 256)',
      'y = x @ x',
      'y = y @ x',
      "raise ValueError('bad batch shape')"
    ].join('\n');
    await page.notebook.createNew('exception.ipynb');
    await page.notebook.setCell(0, 'code', userCode);
    await profile(page, 0);
    await waitForProfile(page, 1);
    const profiling = page.locator('.jp-Notebook .jp-Cell').nth(1);
    // The traceback, as the cell itself would show it.
    await expect(
      profiling.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]', {
        hasText: 'ValueError'
      })
    ).toBeVisible();
    await expect(profiling.locator('.jp-OutputArea-output', { hasText: 'bad batch shape' }).first()).toBeVisible();
    // The profile of what ran, saying it stops at the exception; the matrix products are in it.
    const view = profiling.locator(PROFILE_OUTPUT);
    await expect(view.locator('.jp-AscendProfiler-note')).toContainText(
      "raised ValueError: bad batch shape; the trace covers the run up to that point"
    );
    await expect(view).toContainText('aten::mm');
    // The user's cell is unchanged (and the editor typed it as written: no indentation).
    expect(await cellSource(page, 0)).toBe(userCode);
  });

  test('interrupting a profile keeps what was recorded, and the next profile works', async ({ page }) => {
    const userCode = "import time, torch\ny = torch.ones(64, 64) @ torch.ones(64, 64)\ntime.sleep(DELAY)";
    await profileLongCell(page, 'interrupt.ipynb', userCode);
    await page.evaluate(() =>
      (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.interrupt()
    );
    // The profile of what ran until the interrupt, which is named.
    await waitForProfile(page, 2);
    const view = page.locator('.jp-Notebook .jp-Cell').nth(2).locator(PROFILE_OUTPUT);
    await expect(view.locator('.jp-AscendProfiler-note')).toContainText('raised KeyboardInterrupt');
    await expect(view).toContainText('aten::mm');

    // The kernel kept its variables; the next profile works (a new run folder, no interrupt).
    const footer = view.locator('.jp-AscendProfiler-footer');
    const interruptedRun = await footer.textContent();
    await page.notebook.setCell(0, 'code', 'DELAY = 0');
    await page.notebook.runCell(0);
    await profile(page, 1);
    await waitForProfile(page, 2);
    await expect(footer).not.toHaveText(interruptedRun!);
    await expect(view.locator('.jp-AscendProfiler-note', { hasText: 'KeyboardInterrupt' })).toHaveCount(0);
    await expect(view).toContainText('aten::mm');
    expect(await cellSource(page, 1)).toBe(userCode);
  });
});
