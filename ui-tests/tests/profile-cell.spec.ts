/**
 * The user's path: profile a cell of the demo notebook with real CPU torch in
 * a real kernel, read the timeline and the checklist, save, reload, and see
 * the view again without the trace file.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import {
  PROFILE_OUTPUT,
  REPO_ROOT,
  cellCount,
  cellSource,
  findCell,
  waitForProfile
} from './helpers';

test.use({ autoGoto: true });

test.describe('ascend-profiler:profile-cell on the demo notebook', () => {
  test('shows host lanes and a CPU-only checklist, and comes back after a reload', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadFile(
      path.join(REPO_ROOT, 'examples', 'demo.ipynb'),
      `${tmpPath}/demo.ipynb`
    );
    await page.notebook.openByPath(`${tmpPath}/demo.ipynb`);
    await page.notebook.activate('demo.ipynb');

    const target = await findCell(page, 'result = out.to("cpu")');
    expect(target).toBeGreaterThan(0);
    const userSource = await cellSource(page, target);
    // Run the set-up cells above the profiled one, as a user would.
    for (let i = 0; i < target; i++) {
      await page.notebook.runCell(i);
    }
    const before = await cellCount(page);

    await page.notebook.selectCells(target);
    await page
      .locator('.jp-cell-toolbar [data-jp-item-name="ascend-profiler-profile-cell"]')
      .click();

    await waitForProfile(page, target + 1);
    expect(await cellCount(page)).toBe(before + 1);
    // The user's cell is untouched; the profiling cell holds its code.
    expect(await cellSource(page, target)).toBe(userSource);
    const profiling = await cellSource(page, target + 1);
    expect(profiling).toContain('ascend-profiler');

    const view = page.locator('.jp-Notebook .jp-Cell').nth(target + 1).locator(PROFILE_OUTPUT);
    await expect(view.locator('.jp-AscendProfiler-header')).toContainText('CPU only');
    const timeline = view.locator('.jp-AscendProfiler-timeline');
    await expect(timeline.locator('canvas')).toBeVisible();
    // One row per host thread that ran torch ops; CPU-only, so no device rows.
    const label = (await timeline.getAttribute('aria-label')) ?? '';
    expect(label).toMatch(/Thread \d+/);
    expect(label).not.toMatch(/stream|Ascend Hardware/);
    await expect(view.locator('[data-finding-id="sync-wait"]')).toContainText(
      'No device timeline'
    );

    // The saved output also carries a PNG of the timeline and the checklist as Markdown,
    // for GitHub, nbviewer and nbconvert, which do not know our renderer.
    await expect
      .poll(
        () =>
          page.evaluate(i => {
            const nb = (window as any).jupyterapp.shell.currentWidget.content;
            const outputs = nb.model.cells.get(i).sharedModel.outputs as any[];
            const out = outputs.find(o => o.data?.['application/vnd.ascend-profiler.v1+json']);
            return out ? Object.keys(out.data).sort().join(',') : '';
          }, target + 1),
        { timeout: 30_000 }
      )
      .toBe('application/vnd.ascend-profiler.v1+json,image/png,text/markdown,text/plain');

    // For the developer to check by eye (not compared): what a first-time CPU user sees.
    await view.screenshot({ path: path.join(__dirname, '..', 'screenshots', 'demo-cpu-light.png') });

    await page.notebook.save();
    // Prove the view comes from the saved summary, not from the trace file.
    await page.contents.deleteDirectory(`${tmpPath}/ascend_profiler_runs`);
    // Reload the page; the workspace reopens the notebook (open it by hand if not).
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    if (!(await page.notebook.isOpen('demo.ipynb'))) {
      await page.notebook.openByPath(`${tmpPath}/demo.ipynb`);
    }
    const reopened = page.locator('.jp-Notebook .jp-Cell').nth(target + 1).locator(PROFILE_OUTPUT);
    await expect(reopened.locator('[data-finding-id="sync-wait"]')).toContainText(
      'No device timeline',
      { timeout: 60_000 }
    );
    await expect(reopened.locator('.jp-AscendProfiler-timeline canvas')).toBeVisible();
  });
});
