/**
 * The Ascend path, with a torch_npu TEST DOUBLE that replays a real public
 * Ascend profile (test/doubles/replay_torch_npu): the template's NPU branch
 * runs in a real kernel, the real recorded trace is analysed, the sync-wait
 * finding blames the device work, and Apply inserts the Ascend settings.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import { PROFILE_OUTPUT, REPO_ROOT, cellCount, cellSource, waitForProfile } from './helpers';

test.use({ autoGoto: true });

test.describe('ascend-profiler:profile-cell with the replaying torch_npu double', () => {
  test('blames the sync wait on device work and Apply inserts the Ascend settings below', async ({
    page,
    tmpPath
  }) => {
    const doubles = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu');
    await page.notebook.createNew('ascend.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      `import sys\nsys.path.insert(0, ${JSON.stringify(doubles)})`
    );
    await page.notebook.addCell(
      'code',
      "import torch\nx = torch.ones(8, 8)\ny = (x @ x).to('cpu')\nprint(float(y.sum()))"
    );
    await page.notebook.runCell(0);

    // Keyboard shortcut this time (the demo test uses the toolbar button).
    await page.notebook.selectCells(1);
    await page.keyboard.press('Alt+Shift+P');
    await waitForProfile(page, 2);

    const view = page.locator('.jp-Notebook .jp-Cell').nth(2).locator(PROFILE_OUTPUT);
    await expect(view.locator('.jp-AscendProfiler-header')).toContainText('Ascend NPU');
    const label = (await view.locator('.jp-AscendProfiler-timeline').getAttribute('aria-label')) ?? '';
    expect(label).toContain('Ascend Hardware Stream');
    expect(label).toContain('CANN Thread');
    const finding = view.locator('[data-finding-id="sync-wait"]');
    await expect(finding).toHaveAttribute('data-severity', /high|medium|low/);
    await expect(finding).toContainText('aten::item');
    // The device time is also told by the ATen operator that launched the work (through the task queue).
    const byOperator = view
      .locator('.jp-AscendProfiler-opsTable')
      .filter({ hasText: 'Device time by the operator that launched it' });
    await expect(byOperator).toContainText('aten::_convolution');
    // The hardware counters are a folded table, not empty timeline rows.
    expect(label).not.toContain('AI Core Freq');
    const counters = view.locator('.jp-AscendProfiler-counters');
    await expect(counters.locator('summary')).toContainText('30 counter series');
    await counters.locator('summary').click();
    const clock = counters.locator('tr').filter({ hasText: 'AI Core Freq' });
    await expect(clock).toContainText('MHz');
    await expect(clock).toContainText('1800');
    await expect(view.locator('[data-finding-id="ai-core-freq"]')).toHaveAttribute('data-severity', 'ok');

    // Clicking "Show on timeline" zooms to the wait; "Show the whole run" zooms back out.
    const reset = view.locator('.jp-AscendProfiler-resetZoom');
    await expect(reset).toBeHidden();
    await finding.locator('.jp-AscendProfiler-showEvidence').click();
    await expect(reset).toBeVisible();
    await expect(view.locator('.jp-AscendProfiler-timeline canvas')).toBeVisible();
    await reset.click();
    await expect(reset).toBeHidden();

    const before = await cellCount(page);
    await finding.locator('.jp-AscendProfiler-apply').click();
    expect(await cellCount(page)).toBe(before + 1);
    const remedy = await cellSource(page, 3);
    expect(remedy).toContain('TASK_QUEUE_ENABLE');
    expect(remedy).toContain('set_compile_mode(jit_compile=False)');
    expect(remedy).toContain('allow_internal_format = False');
    expect(remedy).toMatch(/restart/i);
  });
});
