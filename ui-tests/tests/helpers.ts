/**
 * Helpers shared by the browser tests.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { expect } from '@jupyterlab/galata';
import * as path from 'path';

/** The repository root (ui-tests/ is one level below it). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Output node of our renderer. */
export const PROFILE_OUTPUT =
  '.jp-OutputArea-output[data-mime-type="application/vnd.ascend-profiler.v1+json"]';

/** Source of cell `index` of the current notebook, read from its model. */
export async function cellSource(
  page: IJupyterLabPageFixture,
  index: number
): Promise<string> {
  return page.evaluate(i => {
    const app = (window as any).jupyterapp;
    const notebook = app.shell.currentWidget.content;
    return notebook.model.cells.get(i).sharedModel.getSource() as string;
  }, index);
}

/** Number of cells of the current notebook. */
export async function cellCount(page: IJupyterLabPageFixture): Promise<number> {
  return page.evaluate(() => {
    const app = (window as any).jupyterapp;
    return app.shell.currentWidget.content.model.cells.length as number;
  });
}

/** Index of the first cell whose source contains `text`, or -1. */
export async function findCell(
  page: IJupyterLabPageFixture,
  text: string
): Promise<number> {
  const n = await cellCount(page);
  for (let i = 0; i < n; i++) {
    if ((await cellSource(page, i)).includes(text)) {
      return i;
    }
  }
  return -1;
}

/** Wait until the profile view of cell `index` shows its checklist. */
export async function waitForProfile(
  page: IJupyterLabPageFixture,
  index: number
): Promise<void> {
  const cell = page.locator('.jp-Notebook .jp-Cell').nth(index);
  await expect(cell.locator(`${PROFILE_OUTPUT} .jp-AscendProfiler-checklist`)).toBeVisible({
    timeout: 150_000
  });
}

/**
 * Shut down the kernels a test started. Galata does it itself only when it tracks kernels, and
 * the specs that restart a kernel turn that tracking off (`kernels: null`).
 */
export async function shutDownKernels(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    await (window as any).jupyterapp.serviceManager.sessions.shutdownAll();
  });
}
