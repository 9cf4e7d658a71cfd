/**
 * Screenshots of the profile view in the light and the dark theme, saved
 * under ui-tests/screenshots/ for a developer to check by eye (they are not
 * compared pixel by pixel: fonts differ between machines). The test still
 * checks that the view follows the theme: the header text colour changes.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import { PROFILE_OUTPUT, REPO_ROOT, waitForProfile } from './helpers';

test.use({ autoGoto: true, viewport: { width: 1280, height: 1800 } });

const OUT = path.join(__dirname, '..', 'screenshots');

test('the Ascend profile view reads well in the light and the dark theme', async ({ page }) => {
  const doubles = path.join(REPO_ROOT, 'test', 'doubles', 'replay_torch_npu');
  await page.notebook.createNew('shots.ipynb');
  await page.notebook.setCell(0, 'code', `import sys\nsys.path.insert(0, ${JSON.stringify(doubles)})`);
  await page.notebook.addCell('code', "import torch\ny = (torch.ones(4, 4) * 2).to('cpu')");
  await page.notebook.runCell(0);
  await page.notebook.selectCells(1);
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell'));
  await waitForProfile(page, 2);
  const view = page.locator('.jp-Notebook .jp-Cell').nth(2).locator(PROFILE_OUTPUT);
  await expect(view.locator('.jp-AscendProfiler-timeline canvas')).toBeVisible();
  // Collapse the input of the profiling cell so the view fits the screen.
  await page.evaluate(() => {
    const nb = (window as any).jupyterapp.shell.currentWidget.content;
    nb.widgets[2].inputHidden = true;
  });
  await view.scrollIntoViewIfNeeded();
  const header = view.locator('.jp-AscendProfiler-factValue').first();
  const lightColor = await header.evaluate(el => getComputedStyle(el).color);
  await view.screenshot({ path: path.join(OUT, 'ascend-light.png') });
  await view
    .locator('[data-finding-id="sync-wait"]')
    .screenshot({ path: path.join(OUT, 'ascend-finding-light.png') });
  await view.locator('.jp-AscendProfiler-topOps').screenshot({ path: path.join(OUT, 'ascend-ops-light.png') });
  const counters = view.locator('.jp-AscendProfiler-counters');
  await counters.locator('summary').click();
  await counters.screenshot({ path: path.join(OUT, 'ascend-counters-light.png') });

  await page.theme.setDarkTheme();
  await page.waitForTimeout(500);
  await expect(view.locator('.jp-AscendProfiler-timeline canvas')).toBeVisible();
  const darkColor = await header.evaluate(el => getComputedStyle(el).color);
  expect(darkColor).not.toBe(lightColor);
  await view.screenshot({ path: path.join(OUT, 'ascend-dark.png') });
  await view
    .locator('[data-finding-id="sync-wait"]')
    .screenshot({ path: path.join(OUT, 'ascend-finding-dark.png') });
  await view.locator('.jp-AscendProfiler-topOps').screenshot({ path: path.join(OUT, 'ascend-ops-dark.png') });
  await counters.screenshot({ path: path.join(OUT, 'ascend-counters-dark.png') });
  await page.theme.setLightTheme();
});

test('a big real trace (HTA control, 35 MB, 75k slices) reads well in both themes', async ({
  page,
  tmpPath
}) => {
  const big = path.join(REPO_ROOT, 'test', 'fixtures', 'public-traces', 'hta', 'trace_diff', 'control', 'control.json.gz');
  await page.contents.uploadFile(big, `${tmpPath}/control.pt.trace.json.gz`);
  await page.evaluate(async p => {
    await (window as any).jupyterapp.commands.execute('ascend-profiler:open-trace', { path: p });
  }, `${tmpPath}/control.pt.trace.json.gz`);
  const tab = page.locator('#jp-main-dock-panel .jp-AscendProfiler-view').last();
  await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 120_000 });
  await expect(tab.locator('.jp-AscendProfiler-timeline canvas')).toBeVisible();
  await page.waitForTimeout(500);
  await tab.screenshot({ path: path.join(OUT, 'big-light.png') });
  await page.theme.setDarkTheme();
  await page.waitForTimeout(1500);
  await tab.screenshot({ path: path.join(OUT, 'big-dark.png') });
  await page.theme.setLightTheme();
});

test('two open traces compared step by step read well in both themes', async ({ page, tmpPath }) => {
  const traces = path.join(REPO_ROOT, 'test', 'fixtures', 'public-traces');
  const gpu = path.join(traces, 'hta', 'ns_resolution_trace', 'rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz');
  const npu = path.join(traces, 'ascend-msinsight', 'level1', 'rank0_ascend_pt');
  await page.contents.uploadFile(gpu, `${tmpPath}/gpu.pt.trace.json.gz`);
  await page.contents.uploadDirectory(npu, `${tmpPath}/rank0_ascend_pt`);
  const open = async (p: string, command: string) => {
    await page.evaluate(
      async ([c, where]) => {
        await (window as any).jupyterapp.commands.execute(c, { path: where });
      },
      [command, p]
    );
  };
  await open(`${tmpPath}/gpu.pt.trace.json.gz`, 'ascend-profiler:open-trace');
  await open(`${tmpPath}/rank0_ascend_pt`, 'ascend-profiler:open-trace');
  const tab = page.locator('.jp-AscendProfiler-traceTab:visible');
  await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
  const select = tab.locator('.jp-AscendProfiler-compareWith select');
  await select.selectOption({ index: 1 });
  const comparison = tab.locator('.jp-AscendProfiler-comparison');
  await expect(comparison.locator('.jp-AscendProfiler-stepStrip')).toHaveCount(2);
  await comparison.screenshot({ path: path.join(OUT, 'compare-light.png') });
  await page.theme.setDarkTheme();
  await page.waitForTimeout(1000);
  await comparison.screenshot({ path: path.join(OUT, 'compare-dark.png') });
  await page.theme.setLightTheme();
});

test('the runs of a folder side by side read well in both themes', async ({ page, tmpPath }) => {
  const traces = path.join(REPO_ROOT, 'test', 'fixtures', 'public-traces', 'ascend-msinsight');
  for (const level of ['level0', 'level1', 'level2']) {
    await page.contents.uploadDirectory(
      path.join(traces, level, 'rank0_ascend_pt'),
      `${tmpPath}/cluster/${level}_ascend_pt`
    );
  }
  await page.evaluate(async p => {
    await (window as any).jupyterapp.commands.execute('ascend-profiler:open-trace', { path: p });
  }, `${tmpPath}/cluster`);
  const tab = page.locator('.jp-AscendProfiler-traceTab:visible');
  await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
  await tab.locator('.jp-AscendProfiler-readAll').click();
  const runSet = tab.locator('.jp-AscendProfiler-runSet');
  await expect(runSet.locator('tr.jp-mod-slow')).toHaveCount(1, { timeout: 90_000 });
  await runSet.screenshot({ path: path.join(OUT, 'run-set-light.png') });
  const light = await runSet.locator('.jp-AscendProfiler-runSetVerdict').evaluate(e => getComputedStyle(e).color);
  await page.theme.setDarkTheme();
  await page.waitForTimeout(1000);
  await runSet.screenshot({ path: path.join(OUT, 'run-set-dark.png') });
  const dark = await runSet.locator('.jp-AscendProfiler-runSetVerdict').evaluate(e => getComputedStyle(e).color);
  expect(dark).not.toBe(light);
  await page.theme.setLightTheme();
});
