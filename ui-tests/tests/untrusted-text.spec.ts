/**
 * Trace text is untrusted: an op or a counter named like an HTML tag shows
 * literally and never becomes markup, in the view and in the Markdown saved beside it.
 */
import { expect, test } from '@jupyterlab/galata';

test.use({ autoGoto: true });

const EVIL = '<img src=x onerror=alert(1)>';

test('an op named like HTML appears as text in the profile view', async ({ page, tmpPath }) => {
  let alerted = false;
  page.on('dialog', async dialog => {
    alerted = true;
    await dialog.dismiss();
  });
  const events = [
    { ph: 'M', name: 'process_name', pid: 1, args: { name: 'python' } },
    { ph: 'X', cat: 'cpu_op', name: EVIL, pid: 1, tid: 1, ts: 1000, dur: 500 },
    { ph: 'X', cat: 'cpu_op', name: 'aten::mm', pid: 1, tid: 1, ts: 1600, dur: 100 },
    // A counter whose name and key look like HTML too.
    { ph: 'C', name: EVIL, pid: 2, tid: 0, ts: 1000, args: { [EVIL]: 3 } }
  ];
  await page.contents.uploadContent(
    JSON.stringify({ schemaVersion: 1, deviceProperties: [], traceEvents: events }),
    'text',
    `${tmpPath}/evil.pt.trace.json`
  );
  await page.evaluate(async p => {
    await (window as any).jupyterapp.commands.execute('ascend-profiler:open-trace', { path: p });
  }, `${tmpPath}/evil.pt.trace.json`);
  const view = page.locator('#jp-main-dock-panel .jp-AscendProfiler-view').last();
  await expect(view.locator('.jp-AscendProfiler-checklist')).toBeVisible({ timeout: 60_000 });
  await expect(view.locator('.jp-AscendProfiler-opName', { hasText: EVIL }).first()).toBeVisible();
  await view.locator('.jp-AscendProfiler-counters summary').click();
  await expect(view.locator('.jp-AscendProfiler-counters td', { hasText: EVIL })).toHaveCount(2);
  await expect(view.locator('img')).toHaveCount(0);
  expect(alerted).toBe(false);
});
