/**
 * Opening traces from the file browser: a Kineto .pt.trace.json.gz by
 * double-click, a *_ascend_pt folder by its context-menu command, an Ascend
 * trace_view.json.gz by "Open With → Profile View", and a file that only
 * has a trace's name shows a readable error instead of a stuck tab.
 */
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './helpers';

test.use({ autoGoto: true });

const TRACES = path.join(REPO_ROOT, 'test', 'fixtures', 'public-traces');
const KINETO = 'rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz';
const RUN = 'rank0_ascend_pt';

/** The file browser row of `name` in the open folder. */
function row(page: IJupyterLabPageFixture, name: string) {
  return page
    .locator('.jp-DirListing-item')
    .filter({ has: page.locator('.jp-DirListing-itemText').getByText(name, { exact: true }) });
}

/** The profile tab that is showing now. */
function currentTab(page: IJupyterLabPageFixture) {
  return page.locator('.jp-AscendProfiler-traceTab:visible');
}

test.describe('opening traces from the file browser', () => {
  test.beforeEach(async ({ page, tmpPath }) => {
    await page.contents.uploadFile(
      path.join(TRACES, 'hta', 'ns_resolution_trace', KINETO),
      `${tmpPath}/${KINETO}`
    );
    await page.contents.uploadDirectory(
      path.join(TRACES, 'ascend-msinsight', 'level1', RUN),
      `${tmpPath}/${RUN}`
    );
    await page.contents.uploadContent(
      '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>\n',
      'text',
      `${tmpPath}/saved-from-browser.pt.trace.json`
    );
    await page.contents.createDirectory(`${tmpPath}/notes`);
    await page.filebrowser.openDirectory(tmpPath);
  });

  test('double-click opens a Kineto trace in a profile tab', async ({ page }) => {
    await row(page, KINETO).dblclick();
    const tab = currentTab(page);
    await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current')).toContainText(KINETO);
    await expect(tab.locator('.jp-AscendProfiler-header')).toContainText('CUDA GPU');
    const lanes = (await tab.locator('.jp-AscendProfiler-timeline').getAttribute('aria-label')) ?? '';
    expect(lanes).toContain('GPU 0 stream 7');
    expect(lanes).toContain('pt_main_thread');
    // The progress bar and Cancel are gone once the profile shows.
    await expect(tab.getByRole('button', { name: 'Cancel' })).toBeHidden();
  });

  test('the folder context-menu command opens an Ascend run with its sibling files', async ({
    page,
    tmpPath
  }) => {
    await row(page, RUN).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Open Profile in This Folder' }).click();
    const tab = currentTab(page);
    await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current')).toContainText(RUN);
    await expect(tab.locator('.jp-AscendProfiler-header')).toContainText('Ascend NPU');
    const lanes = (await tab.locator('.jp-AscendProfiler-timeline').getAttribute('aria-label')) ?? '';
    expect(lanes).toContain('Ascend Hardware Stream');
    expect(lanes).toContain('CANN Thread');
    await expect(tab.locator('.jp-AscendProfiler-footer')).toContainText(RUN);
    // Only folders that look like a profile offer the command.
    await page.filebrowser.openDirectory(tmpPath);
    await row(page, 'notes').click({ button: 'right' });
    await expect(page.getByRole('menuitem', { name: 'Open', exact: true })).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Open Profile in This Folder' })).toHaveCount(0);
    await page.keyboard.press('Escape');
    await page.filebrowser.openDirectory(`${tmpPath}/${RUN}`);
    await row(page, 'ASCEND_PROFILER_OUTPUT').click({ button: 'right' });
    await expect(page.getByRole('menuitem', { name: 'Open Profile in This Folder' })).toBeVisible();
  });

  test('the wheel zooms the timeline, a drag pans it, and "Show the whole run" goes back', async ({
    page
  }) => {
    await row(page, KINETO).dblclick();
    const tab = currentTab(page);
    const canvas = tab.locator('.jp-AscendProfiler-timelineChart canvas');
    await expect(canvas).toBeVisible({ timeout: 60_000 });
    const range = tab.locator('.jp-AscendProfiler-visibleRange');
    const reset = tab.locator('.jp-AscendProfiler-resetZoom');
    await expect(reset).toBeHidden();
    await expect(range).toHaveText('');

    const box = (await canvas.boundingBox())!;
    const x = box.x + box.width * 0.6;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    for (let i = 0; i < 3; i++) {
      await page.mouse.wheel(0, -400);
    }
    await expect(range).toContainText('Showing');
    await expect(reset).toBeVisible();
    const zoomed = await range.textContent();

    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - box.width * 0.2, y, { steps: 8 });
    await page.mouse.up();
    await expect(range).not.toHaveText(zoomed!);
    await expect(range).toContainText('Showing');

    await reset.click();
    await expect(reset).toBeHidden();
    await expect(range).toHaveText('');
  });

  test('two open traces (a GPU run and an NPU run) compare step by step', async ({ page, tmpPath }) => {
    await row(page, KINETO).dblclick();
    await expect(currentTab(page).locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
    // Alone, a trace has nothing to compare with.
    await expect(currentTab(page).locator('.jp-AscendProfiler-comparison')).toHaveCount(0);
    await row(page, RUN).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Open Profile in This Folder' }).click();
    const npu = currentTab(page);
    await expect(npu.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });

    const select = npu.locator('.jp-AscendProfiler-compareWith select');
    const offered = await select.locator('optgroup option').allTextContents();
    expect(offered).toEqual([`${KINETO} (cuda)`]);
    await select.selectOption({ label: offered[0] });
    const table = npu.locator('.jp-AscendProfiler-compareTable');
    await expect(table).toBeVisible();
    // Files carry no wall time of the code: no row for it, not a made-up number.
    await expect(table.locator('tr[data-metric="span"]')).toBeVisible();
    await expect(table.locator('tr[data-metric="wall"]')).toHaveCount(0);
    await expect(npu.locator('.jp-AscendProfiler-comparison')).toContainText('different devices (cuda and ascend)');
    await expect(npu.locator('.jp-AscendProfiler-stepRun').first()).toHaveText(`${KINETO} (cuda)`);
    await expect(npu.locator('.jp-AscendProfiler-stepRun').nth(1)).toHaveText('this trace (ascend)');
    await expect(npu.locator('.jp-AscendProfiler-stepStrip')).toHaveCount(2);
    // Opening another trace redraws the menu; the comparison picked stays.
    await page.evaluate(async p => {
      await (window as any).jupyterapp.commands.execute('ascend-profiler:open-trace', { path: p });
    }, `${tmpPath}/${RUN}/ASCEND_PROFILER_OUTPUT/trace_view.json.gz`);
    await expect(page.locator('.jp-AscendProfiler-traceTab .jp-AscendProfiler-checklist')).toHaveCount(3, {
      timeout: 60_000
    });
    await page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: RUN }).first().click();
    await expect(currentTab(page).locator('.jp-AscendProfiler-compareTable')).toBeVisible();
  });

  test('a folder with several runs shows one and opens another in its own tab, to compare', async ({
    page,
    tmpPath
  }) => {
    // Two runs in one profiler output folder, as torch_npu writes one per run (or per rank).
    const runs = `${tmpPath}/runs`;
    await page.contents.uploadDirectory(path.join(TRACES, 'ascend-msinsight', 'level1', RUN), `${runs}/a_rank0_ascend_pt`);
    await page.contents.uploadDirectory(path.join(TRACES, 'ascend-msinsight', 'level2', RUN), `${runs}/b_rank0_ascend_pt`);
    await page.evaluate(async p => {
      await (window as any).jupyterapp.commands.execute('ascend-profiler:open-trace', { path: p });
    }, runs);
    const first = currentTab(page);
    await expect(first.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
    await expect(first.locator('.jp-AscendProfiler-footer')).toContainText('a_rank0_ascend_pt');
    const other = first.locator('.jp-AscendProfiler-otherRuns button:not(.jp-AscendProfiler-readAll)');
    await expect(other).toHaveCount(1);
    await expect(other).toHaveText('b_rank0_ascend_pt');
    await other.click();
    const second = currentTab(page);
    await expect(second.locator('.jp-AscendProfiler-footer')).toContainText('b_rank0_ascend_pt', {
      timeout: 60_000
    });
    await expect(second.locator('.jp-AscendProfiler-checklist')).toBeVisible();
    // The run opened from the folder's tab can be compared with it.
    const offered = await second.locator('.jp-AscendProfiler-compareWith optgroup option').allTextContents();
    expect(offered).toEqual(['runs (ascend)']);
  });

  test('"Read all" puts every run of a folder side by side, names the slowest, and compares or opens one', async ({
    page,
    tmpPath
  }) => {
    // Three real torch_npu runs in one output folder, and one that holds no trace.
    const runs = `${tmpPath}/cluster`;
    for (const level of ['level0', 'level1', 'level2']) {
      await page.contents.uploadDirectory(
        path.join(TRACES, 'ascend-msinsight', level, RUN),
        `${runs}/${level}_ascend_pt`
      );
    }
    await page.contents.createDirectory(`${runs}/empty_ascend_pt`);
    await page.evaluate(async p => {
      await (window as any).jupyterapp.commands.execute('ascend-profiler:open-trace', { path: p });
    }, runs);
    const tab = currentTab(page);
    await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
    const readAll = tab.getByRole('button', { name: 'Read all 4 side by side' });
    await readAll.click();
    const table = tab.locator('.jp-AscendProfiler-runSetTable');
    await expect(table).toBeVisible({ timeout: 90_000 });
    const rows = table.locator('tr[data-label]');
    await expect(rows).toHaveCount(3);
    expect(await rows.evaluateAll(trs => trs.map(tr => (tr as HTMLElement).dataset.label))).toEqual([
      'level0_ascend_pt',
      'level1_ascend_pt',
      'level2_ascend_pt'
    ]);
    // The step of each run as the trace records it: Level1's ProfilerStep#50 is the longest.
    await expect(rows.nth(1)).toContainText('156.0 ms');
    await expect(rows.nth(1)).toHaveClass(/jp-mod-slow/);
    await expect(tab.locator('.jp-AscendProfiler-runSetVerdict')).toContainText(
      'level1_ascend_pt is the slowest: its step is 19.1 ms (+14 %) longer than level0_ascend_pt’s'
    );
    await expect(rows.nth(0)).toContainText('shown here');
    await expect(tab.locator('.jp-AscendProfiler-runSet .jp-AscendProfiler-note')).toContainText(
      'empty_ascend_pt could not be read: no trace file in it'
    );
    // Compare puts that run beside the one shown, in the Before / after table.
    await rows.nth(1).getByRole('button', { name: 'Compare' }).click();
    const compare = tab.locator('.jp-AscendProfiler-compareWith select');
    await expect(compare.locator('option:checked')).toHaveText('level1_ascend_pt (ascend)');
    await expect(tab.locator('.jp-AscendProfiler-compareTable')).toBeVisible();
    await expect(tab.locator('.jp-AscendProfiler-compareWith optgroup[label="Runs in this folder"] option')).toHaveText([
      'level1_ascend_pt (ascend)',
      'level2_ascend_pt (ascend)'
    ]);
    // Open shows that run in its own tab.
    await rows.nth(2).getByRole('button', { name: 'Open' }).click();
    await expect(currentTab(page).locator('.jp-AscendProfiler-footer')).toContainText('level2_ascend_pt', {
      timeout: 60_000
    });
  });

  test('Cancel during "Read all" keeps the runs read so far', async ({ page, tmpPath }) => {
    const runs = `${tmpPath}/slowlink`;
    for (const level of ['level0', 'level1', 'level2']) {
      await page.contents.uploadDirectory(
        path.join(TRACES, 'ascend-msinsight', level, RUN),
        `${runs}/${level}_ascend_pt`
      );
    }
    await page.evaluate(async p => {
      await (window as any).jupyterapp.commands.execute('ascend-profiler:open-trace', { path: p });
    }, runs);
    const tab = currentTab(page);
    await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
    // The last run's trace never arrives, as on a stalled link.
    await page.route(
      url => url.pathname.includes('/files/') && url.pathname.includes('level2_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view'),
      () => undefined
    );
    await tab.getByRole('button', { name: 'Read all 3 side by side' }).click();
    const status = tab.locator('.jp-AscendProfiler-runSetStatus');
    await expect(status).toContainText('Reading 3 of 3: level2_ascend_pt', { timeout: 60_000 });
    await status.getByRole('button', { name: 'Cancel' }).click();
    await expect(tab.locator('.jp-AscendProfiler-runSet')).toBeVisible();
    await expect(tab.locator('.jp-AscendProfiler-runSetHost .jp-AscendProfiler-note')).toHaveText(
      'Cancelled: 2 of 3 runs were read; they are shown below.'
    );
    await expect(tab.locator('.jp-AscendProfiler-runSetTable tr[data-label]')).toHaveCount(2);
    // The profile shown is untouched.
    await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible();
  });

  test('"Open With → Profile View" opens trace_view.json.gz', async ({ page, tmpPath }) => {
    await page.filebrowser.openDirectory(`${tmpPath}/${RUN}/ASCEND_PROFILER_OUTPUT`);
    await row(page, 'trace_view.json.gz').click({ button: 'right' });
    // "Open With" is a submenu (a list item, not a menu item).
    await page.locator('.lm-Menu-item[data-type="submenu"]', { hasText: 'Open With' }).hover();
    await page.getByRole('menuitem', { name: 'Profile View', exact: true }).click();
    const tab = currentTab(page);
    await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
    await expect(tab.locator('.jp-AscendProfiler-header')).toContainText('Ascend NPU');
  });

  test('Cancel stops a slow read and "Open Again" reads the trace', async ({ page }) => {
    // Hold the download back, as a big file on a slow link would be.
    let hold = true;
    await page.route(
      url => url.pathname.includes('/files/') && url.pathname.endsWith('.pt.trace.json.gz'),
      async route => {
        while (hold) {
          await new Promise(resolve => setTimeout(resolve, 200));
        }
        await route.continue().catch(() => undefined);
      }
    );
    await row(page, KINETO).dblclick();
    const tab = currentTab(page);
    await expect(tab.getByRole('progressbar')).toBeVisible();
    await expect(tab.locator('.jp-AscendProfiler-loadLabel')).toContainText(KINETO);
    await tab.getByRole('button', { name: 'Cancel' }).click();
    await expect(tab.locator('.jp-AscendProfiler-errorTitle')).toHaveText('Opening was cancelled');
    await expect(tab.getByRole('progressbar')).toBeHidden();
    hold = false;
    await tab.getByRole('button', { name: 'Open Again' }).click();
    await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
  });

  test('a gzip trace cut off by an interrupted copy shows the events it holds and says where it stops', async ({
    page,
    tmpPath
  }) => {
    // The first MB of a 2.4 MB gzip: what an interrupted copy or download leaves.
    const whole = fs.readFileSync(path.join(TRACES, 'hta', 'trace_diff', 'control', 'control.json.gz'));
    await page.contents.uploadContent(
      whole.subarray(0, 1_000_000).toString('base64'),
      'base64',
      `${tmpPath}/cut.pt.trace.json.gz`
    );
    await page.evaluate(async p => {
      await (window as any).jupyterapp.commands.execute('ascend-profiler:open-trace', { path: p });
    }, `${tmpPath}/cut.pt.trace.json.gz`);
    const tab = currentTab(page);
    await expect(tab.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
    const notes = tab.locator('.jp-AscendProfiler-note');
    await expect(notes.filter({ hasText: 'The gzip data ends early or is damaged after' })).toHaveCount(1);
    await expect(notes.filter({ hasText: 'The input ended inside the event array' })).toHaveCount(1);
    await expect(tab.locator('.jp-AscendProfiler-timeline canvas')).toBeVisible();
  });

  test('a file that is not a trace shows a readable error', async ({ page }) => {
    await row(page, 'saved-from-browser.pt.trace.json').dblclick();
    const tab = currentTab(page);
    const error = tab.locator('.jp-AscendProfiler-error');
    await expect(error).toBeVisible({ timeout: 60_000 });
    await expect(error.locator('.jp-AscendProfiler-errorTitle')).toHaveText(
      /not a profiler trace|not valid JSON/
    );
    await expect(error.locator('.jp-AscendProfiler-errorMessage')).not.toBeEmpty();
    await expect(tab.getByRole('button', { name: 'Open Again' })).toBeVisible();
    await expect(tab.getByRole('button', { name: 'Cancel' })).toBeHidden();
  });
});
