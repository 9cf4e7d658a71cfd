/**
 * "Profile with Options…": open it from the command palette, ask for two recorded runs, and get
 * a profile with two profiler steps, for this run only.
 */
import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { PROFILE_OUTPUT, cellSource, waitForProfile } from './helpers';

test.use({ autoGoto: true });

/** MIME type of the bundle the profiling cell displays. */
const MIME = 'application/vnd.ascend-profiler.v1+json';

/** The user's cell: prints once per run, so the recorded runs can be counted in its output. */
const USER_CODE = [
  'import torch',
  'print("hello from the options test")',
  'y = (torch.ones(16, 16) @ torch.ones(16, 16)).sum()'
].join('\n');

/** What the profile output of cell `index` holds: its bundle (with the summary) and its stdout. */
async function outputOf(
  page: IJupyterLabPageFixture,
  index: number
): Promise<{ steps: number | null; profiler: Record<string, unknown> | null; stdout: string }> {
  return page.evaluate(
    ([i, mime]) => {
      const app = (window as any).jupyterapp;
      const outputs = app.shell.currentWidget.content.model.cells.get(i).outputs.toJSON() as any[];
      const bundle = outputs.find(o => o.data?.[mime])?.data[mime];
      const stdout = outputs
        .filter(o => o.output_type === 'stream' && o.name === 'stdout')
        .map(o => (Array.isArray(o.text) ? o.text.join('') : o.text))
        .join('');
      return {
        steps: bundle?.summary ? bundle.summary.steps.length : null,
        profiler: bundle?.profiler ?? null,
        stdout
      };
    },
    [index, MIME] as const
  );
}

test.describe('ascend-profiler:profile-cell-with-options', () => {
  test('two recorded runs give two profiler steps, and the saved settings stay as they were', async ({
    page
  }) => {
    await page.notebook.createNew('options.ipynb');
    await page.notebook.setCell(0, 'code', USER_CODE);
    await page.notebook.selectCells(0);

    // Open the dialog the way a user does: the command palette.
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#modal-command-palette');
    await palette.locator('.lm-CommandPalette-input').fill('Profile with Options');
    await palette
      .locator('.lm-CommandPalette-item', { hasText: 'Profile with Options' })
      .first()
      .click();

    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Profile with Options');
    const recorded = dialog.locator('input[name="recordedRuns"]');
    // Prefilled from the settings (their defaults here).
    await expect(recorded).toHaveValue('1');
    await expect(dialog.locator('input[name="warmupRuns"]')).toHaveValue('0');
    await expect(dialog.locator('input[name="keepProfiles"]')).toHaveValue('10');
    // An invalid value is flagged before anything runs.
    await recorded.fill('0');
    await expect(recorded).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog).toContainText('A whole number, at least 1.');
    await recorded.fill('2');
    await expect(recorded).toHaveAttribute('aria-invalid', 'false');
    await dialog.locator('.jp-mod-accept').click();
    await expect(dialog).toHaveCount(0);

    await waitForProfile(page, 1);
    expect(await cellSource(page, 0)).toBe(USER_CODE);
    expect(await cellSource(page, 1)).toContain('recorded_runs=2,');
    await expect.poll(async () => (await outputOf(page, 1)).steps, { timeout: 60_000 }).toBe(2);
    const profiled = await outputOf(page, 1);
    expect(profiled.profiler).toMatchObject({ warmup_runs: 0, recorded_runs: 2 });
    expect(profiled.stdout.match(/hello from the options test/g)).toHaveLength(2);
    await expect(
      page.locator('.jp-Notebook .jp-Cell').nth(1).locator(PROFILE_OUTPUT)
    ).toHaveCount(1);

    // The options were for that run only: the plain command still records one run.
    await page.notebook.selectCells(0);
    await page.evaluate(() => {
      void (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell');
    });
    await expect
      .poll(async () => (await cellSource(page, 1)).includes('recorded_runs=1,'))
      .toBe(true);
    await waitForProfile(page, 1);
    await expect.poll(async () => (await outputOf(page, 1)).steps, { timeout: 60_000 }).toBe(1);
    // Compared with the two-run profile before it, the view says they were measured differently.
    await expect(
      page.locator('.jp-Notebook .jp-Cell').nth(1).locator(`${PROFILE_OUTPUT} .jp-AscendProfiler-comparison`)
    ).toContainText('profiled differently, so their numbers are not measured the same way: recorded_runs: 2 → 1');
  });

  test('recording memory use shows the memory allocated on the CPU over the run', async ({ page }) => {
    await page.notebook.createNew('memory.ipynb');
    await page.notebook.setCell(0, 'code', USER_CODE);
    await page.notebook.selectCells(0);
    await page.evaluate(() => {
      void (window as any).jupyterapp.commands.execute('ascend-profiler:profile-cell-with-options');
    });
    const dialog = page.locator('.jp-Dialog');
    const memory = dialog.locator('input[name="profileMemory"]');
    await expect(memory).not.toBeChecked();
    await memory.check();
    await dialog.locator('.jp-mod-accept').click();
    await waitForProfile(page, 1);
    expect(await cellSource(page, 1)).toContain('profile_memory=True,');
    const view = page.locator('.jp-Notebook .jp-Cell').nth(1).locator(PROFILE_OUTPUT);
    const counters = view.locator('.jp-AscendProfiler-counters');
    await counters.locator('summary').click();
    await expect(counters.locator('tr').filter({ hasText: 'Memory allocated (CPU)' })).toContainText('B');
  });
});
