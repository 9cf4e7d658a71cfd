/**
 * Close the loop: profile, apply a suggested setting, profile again, and read
 * the before/after comparison in the newest profile (Ascend path through the
 * torch_npu TEST DOUBLE that replays a real recorded profile; CPU torch).
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import { PROFILE_OUTPUT, REPO_ROOT, cellSource, waitForProfile } from './helpers';

test.use({ autoGoto: true });

test.describe('before / after', () => {
  test('after a runtime remedy, a second profile of the cell compares itself with the first and shows the switch that changed', async ({
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

    // Apply a runtime remedy (online compile off): a cell below the profiling cell; it acts as
    // soon as it runs, no restart.
    await first.locator('[data-finding-id="online-compile"] .jp-AscendProfiler-apply').click();
    expect(await cellSource(page, 3)).toContain('set_compile_mode(jit_compile=False)');
    await page.notebook.runCell(3);

    // Profile again: the profiling cell is reused, its history kept.
    await profile();
    const second = cells.nth(2).locator(PROFILE_OUTPUT);
    const table = second.locator('.jp-AscendProfiler-compareTable');
    await expect(table).toBeVisible({ timeout: 60_000 });
    await expect(table.locator('tr[data-metric="wall"]')).toBeVisible();
    await expect(table.locator('tr[data-metric="compile"]')).toBeVisible();
    // The new profile recorded the switch as it stood for that run: the remedy took effect.
    await expect(second.locator('.jp-AscendProfiler-comparison')).toContainText(
      'jit_compile: true → false'
    );
    // The replayed trace still compiles: the finding now says the switch was already on and looks
    // elsewhere, instead of offering the same switch again.
    await expect(second.locator('[data-finding-id="online-compile"]')).toContainText(
      'already used the pre-built binary operators'
    );
    // The history is saved with the notebook, in the profiling cell's metadata.
    const history = await page.evaluate(() => {
      const nb = (window as any).jupyterapp.shell.currentWidget.content;
      return nb.model.cells.get(2).getMetadata('ascend_profiler').history.length;
    });
    expect(history).toBe(2);
  });

  test('the same code profiled on the CPU, then on the NPU: both runs compared step by step from each step’s start', async ({
    page
  }) => {
    const doubles = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu');
    await page.notebook.createNew('devices.ipynb');
    await page.notebook.setCell(0, 'code', "import torch\ny = (torch.ones(64, 64) @ torch.ones(64, 64)).to('cpu')");
    const profile = async () => {
      await page.notebook.selectCells(0);
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell')
      );
      await waitForProfile(page, 1);
    };
    await profile();
    const view = page.locator('.jp-Notebook .jp-Cell').nth(1).locator(PROFILE_OUTPUT);
    await expect(view.locator('.jp-AscendProfiler-stepCompare')).toHaveCount(0);

    // The NPU: torch_npu becomes importable (the TEST DOUBLE replaying a real Ascend profile).
    await page.notebook.addCell('code', `import sys\nsys.path.insert(0, ${JSON.stringify(doubles)})`);
    await page.notebook.runCell(2);
    await page.waitForTimeout(1100); // runs are told apart by their start second
    await profile();

    const steps = view.locator('.jp-AscendProfiler-stepCompare');
    await expect(steps).toBeVisible({ timeout: 60_000 });
    await expect(view.locator('.jp-AscendProfiler-comparison')).toContainText('different devices');
    await expect(steps.locator('.jp-AscendProfiler-stepRun').first()).toHaveText('before (cpu)');
    await expect(steps.locator('.jp-AscendProfiler-stepRun').nth(1)).toHaveText('now (ascend)');
    await expect(steps).toContainText('Median step');
    // One strip per run per step, each made of bins; the longer step fills the track.
    const strips = steps.locator('.jp-AscendProfiler-stepStrip');
    await expect(strips).toHaveCount(2);
    const widths = await strips.evaluateAll(nodes => nodes.map(n => (n as HTMLElement).style.width));
    const percent = widths.map(w => parseFloat(w));
    expect(Math.max(...percent)).toBe(100);
    expect(Math.min(...percent)).toBeLessThan(100);
    await expect(strips.nth(0).locator('.jp-AscendProfiler-stepBin')).toHaveCount(50);
    // The CPU run's work is its operators; the NPU run's is device work.
    await expect(strips.nth(0).locator('.jp-AscendProfiler-stepBin.jp-mod-host').first()).toBeAttached();
    await expect(strips.nth(1).locator('.jp-AscendProfiler-stepBin.jp-mod-comm').first()).toBeAttached();
    await view.locator('.jp-AscendProfiler-comparison').screenshot({ path: 'screenshots/step-compare.png' });
  });

  test('a profile can be compared with the profile of another cell, picked from the menu', async ({
    page
  }) => {
    const doubles = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu');
    const profileCell = async (index: number) => {
      await page.notebook.selectCells(index);
      await page.evaluate(() =>
        (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell')
      );
      await waitForProfile(page, index + 1);
    };
    await page.notebook.createNew('cells.ipynb');
    await page.notebook.setCell(0, 'code', "import torch\na = (torch.ones(32, 32) * 2).to('cpu')");
    await profileCell(0);
    // The NPU from here on: torch_npu becomes importable in the kernel (the TEST DOUBLE).
    await page.evaluate(async code => {
      const kernel = (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel;
      await kernel.requestExecute({ code }).done;
    }, `import sys\nsys.path.insert(0, ${JSON.stringify(doubles)})`);
    await page.notebook.addCell('code', "import torch\nb = (torch.ones(32, 32) * 3).to('cpu')");
    expect(await cellSource(page, 2)).toContain('b = ');
    await profileCell(2);

    const view = page.locator('.jp-Notebook .jp-Cell').nth(3).locator(PROFILE_OUTPUT);
    const select = view.locator('.jp-AscendProfiler-compareWith select');
    // This cell has no earlier run of its own: nothing is compared until a profile is picked.
    await expect(select).toBeVisible();
    await expect(view.locator('.jp-AscendProfiler-compareTable')).toHaveCount(0);
    const offered = await select.locator('optgroup option').allTextContents();
    expect(offered).toHaveLength(1);
    // Named by the profiled cell's last line of code (JupyterLab shows no cell numbers).
    const label = 'cell “a = (torch.ones(32, 32) * 2).to…”';
    expect(offered[0]).toMatch(/, run at .* \(cpu\)$/);
    expect(offered[0].startsWith(label)).toBe(true);
    await select.selectOption({ label: offered[0] });
    await expect(view.locator('.jp-AscendProfiler-compareTable')).toBeVisible();
    await expect(view.locator('.jp-AscendProfiler-stepRun').first()).toHaveText(`${label} (cpu)`);
    await expect(view.locator('.jp-AscendProfiler-stepRun').nth(1)).toHaveText('this cell (ascend)');
    // The first cell's profile, shown before the second existed, now offers it too.
    const first = page.locator('.jp-Notebook .jp-Cell').nth(1).locator(PROFILE_OUTPUT);
    await expect(first.locator('.jp-AscendProfiler-compareWith optgroup option')).toHaveText([
      /^cell “b = \(torch\.ones\(32, 32\) \* 3\)\.to…”, run at .* \(ascend\)$/
    ]);
    // A new profile of the first cell redraws this menu with the new run; the pick stays.
    await page.waitForTimeout(1100); // runs are told apart by their start second
    await profileCell(0);
    await expect(select.locator('optgroup option')).toHaveCount(2);
    expect(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0].textContent)).toBe(offered[0]);
    await expect(view.locator('.jp-AscendProfiler-compareTable')).toBeVisible();
  });
});
