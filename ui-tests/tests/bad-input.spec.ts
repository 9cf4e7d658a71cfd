/**
 * Bad input: a broken or foreign trace file gives one readable message in the
 * output, and nothing hangs.
 */
import { expect, test } from '@jupyterlab/galata';
import { PROFILE_OUTPUT } from './helpers';

test.use({ autoGoto: true });

/** Python that displays a profile bundle pointing at `file` with `content`. */
function bundleCell(file: string, content: string): string {
  return [
    'from IPython.display import display',
    `open(${JSON.stringify(file)}, "w").write(${JSON.stringify(content)})`,
    'display({"application/vnd.ascend-profiler.v1+json": {',
    '  "version": 1, "status": "ok", "error": None, "backend": "cpu",',
    `  "trace_path": ${JSON.stringify(file)}, "run_dir": ".", "trace_bytes": ${content.length},`,
    '  "device": "CPU", "versions": {}, "env": {}, "wall_time_s": 0.1, "cell_error": None,',
    '  "started_at": "2026-01-01T00:00:00", "profiler": {}}}, raw=True)'
  ].join('\n');
}

test.describe('the profile renderer on bad input', () => {
  test('says plainly that a notebook file is not a trace, and that a missing file is gone', async ({
    page
  }) => {
    await page.notebook.createNew('bad.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      bundleCell('foreign.json', '{"cells": [], "metadata": {}, "nbformat": 4}')
    );
    await page.notebook.addCell('code', bundleCell('cut.json', '{"traceEvents": [{"ph": "X", "na'));
    await page.notebook.addCell(
      'code',
      [
        'from IPython.display import display',
        'display({"application/vnd.ascend-profiler.v1+json": {"version": 1, "status": "ok", "error": None,',
        ' "backend": "cpu", "trace_path": "no/such/trace.json", "run_dir": "no", "trace_bytes": 10,',
        ' "device": "CPU", "versions": {}, "env": {}, "wall_time_s": 0.1, "cell_error": None,',
        ' "started_at": "2026-01-01T00:00:01", "profiler": {}}}, raw=True)'
      ].join('\n')
    );
    await page.notebook.run();

    const cells = page.locator('.jp-Notebook .jp-Cell');
    const foreign = cells.nth(0).locator(`${PROFILE_OUTPUT} .jp-AscendProfiler-error`);
    await expect(foreign).toContainText('not a profiler trace');
    await expect(foreign).toContainText('cells');
    const cut = cells.nth(1).locator(`${PROFILE_OUTPUT} .jp-AscendProfiler-error, ${PROFILE_OUTPUT} .jp-AscendProfiler-view`);
    await expect(cut.first()).toBeVisible();
    const missing = cells.nth(2).locator(`${PROFILE_OUTPUT} .jp-AscendProfiler-error`);
    await expect(missing).toContainText('gone');
  });
});
