/**
 * "Restart and apply": settings that act only in a fresh kernel (environment variables read once
 * at the first device use) go into a settings cell at the TOP of the notebook; the kernel is
 * restarted and the notebook re-run from the top through the profiled cell and its profiling
 * cell, so the new profile shows the settings in effect.
 *
 * Why the top, and why this order inside the cell (shared notes `tuning-rules.md` §4.1, §4.4):
 * torch_npu and CANN read these variables once, at the first NPU use, so they must be set before
 * any NPU work; and from torch_npu 6.0.RC3 `import torch_npu` in an interactive interpreter (every
 * Jupyter kernel) overwrites TASK_QUEUE_ENABLE with 0, so that one assignment must come AFTER the
 * import (the C++ side reads it lazily, at the first NPU op). The other variables are not reset
 * by the import, so they are set before it, before torch_npu exists at all.
 *
 * Cell editing and running follow `jupyterlab-notes.md` §3.4 (shared-model inserts, one
 * transaction for an undoable step) and `NotebookActions.runCells` (JupyterLab 4
 * `packages/notebook/src/actions.tsx`).
 */

import { Dialog, Notification, SessionContextDialogs, showDialog } from '@jupyterlab/apputils';
import type { Cell } from '@jupyterlab/cells';
import { NotebookActions, type NotebookPanel } from '@jupyterlab/notebook';
import type { ITranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { TRANSLATION_DOMAIN } from '../tokens';
import {
  buildProfilingCell,
  PROFILING_CELL_MARKER,
  type IProfileOptions
} from './profilingCell';
import { REMEDIES, REMEDY_CELL_MARKER, type IRemedy } from './remedies';

/** Key of the metadata object on every cell this extension inserts (same as src/index.ts). */
export const CELL_METADATA_KEY = 'ascend_profiler';

/** First line of the settings cell, so people and the frontend can recognise it. */
export const SETTINGS_CELL_MARKER =
  '# ascend-profiler: settings that act only in a fresh kernel (keep this cell first; you can delete it)';

/** The metadata the settings cell carries under {@link CELL_METADATA_KEY}. */
export interface ISettingsCellMetadata {
  /** Always true: marks the settings cell. */
  settings_cell: true;
  /** Remedy ids the cell applies. */
  remedies: string[];
}

/** Translation bundle of this extension. */
type Trans = ReturnType<ITranslator['load']>;

/**
 * Whether applying these remedies needs a fresh process: true when any known id has
 * `restart` other than `'none'` in {@link REMEDIES}. Unknown ids are ignored.
 *
 * @param remedies - remedy ids.
 */
export function needsRestart(remedies: string[]): boolean {
  return remedies.some(id => {
    const remedy = REMEDIES[id];
    return remedy !== undefined && remedy.restart !== 'none';
  });
}

/** Whether the remedy touches TASK_QUEUE_ENABLE, which `import torch_npu` resets in Jupyter. */
function setsTaskQueue(remedy: IRemedy): boolean {
  return remedy.code.some(line => line.includes('TASK_QUEUE_ENABLE'));
}

/**
 * Builds the Python source of the settings cell for the top of the notebook.
 *
 * Unknown ids are skipped, duplicates applied once, settings keep the order of {@link REMEDIES}.
 * Order inside the cell (why: module comment):
 * 1. {@link SETTINGS_CELL_MARKER} and a plain explanation;
 * 2. `import os`, then every environment setting except TASK_QUEUE_ENABLE, before torch or
 *    torch_npu is imported;
 * 3. `import torch` / `import torch_npu` when a setting needs them;
 * 4. TASK_QUEUE_ENABLE, after `import torch_npu` (which forces it to 0 in Jupyter) and before any
 *    NPU work;
 * 5. settings that act at once (`restart: 'none'`), which need the imports.
 *
 * @param remedies - remedy ids, as in {@link REMEDIES}.
 * @returns Python source, or null when no id is known.
 */
export function buildSettingsCell(remedies: string[]): string | null {
  const wanted = new Set(remedies);
  const picked = Object.values(REMEDIES).filter(r => wanted.has(r.id));
  if (picked.length === 0) {
    return null;
  }
  const env = picked.filter(r => r.restart !== 'none' && !setsTaskQueue(r));
  const taskQueue = picked.filter(r => r.restart !== 'none' && setsTaskQueue(r));
  const runtime = picked.filter(r => r.restart === 'none');
  const imports = new Set(picked.flatMap(r => r.imports));
  const block = (r: IRemedy) => ['', ...r.comment.map(c => `# ${c}`), ...r.code];

  const lines = [
    SETTINGS_CELL_MARKER,
    '# Inserted by "Restart and apply". These settings are read once, when the process first uses',
    '# the device, so this cell must run first in a freshly restarted kernel, before any NPU/GPU work.',
    '# Environment variables come before `import torch_npu`; TASK_QUEUE_ENABLE comes after it,',
    '# because `import torch_npu` in Jupyter resets it to 0.'
  ];
  if (imports.has('os') || env.length > 0 || taskQueue.length > 0) {
    lines.push('import os');
  }
  for (const remedy of env) {
    lines.push(...block(remedy));
  }
  const lateImports = (['torch', 'torch_npu'] as const).filter(m => imports.has(m));
  if (lateImports.length > 0) {
    lines.push('', ...lateImports.map(m => `import ${m}`));
  }
  for (const remedy of [...taskQueue, ...runtime]) {
    lines.push(...block(remedy));
  }
  lines.push(
    '',
    `print("ascend-profiler: settings applied: ${picked.map(r => r.id).join(', ')}")`,
    ''
  );
  return lines.join('\n');
}

/** The metadata object of this extension on a cell, if any. */
export function profilerMetadata(cell: Cell): Record<string, unknown> | undefined {
  const meta = cell.model.getMetadata(CELL_METADATA_KEY);
  return meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : undefined;
}

/**
 * Whether a cell was inserted by this extension (profiling, remedy, settings or fresh-process
 * cell), recognised by its first line or its metadata.
 *
 * @param source - the cell's source.
 * @param metadata - the cell's `ascend_profiler` metadata, if any.
 */
export function isExtensionCell(
  source: string,
  metadata: Record<string, unknown> | undefined
): boolean {
  const markers = [PROFILING_CELL_MARKER, REMEDY_CELL_MARKER, SETTINGS_CELL_MARKER, FRESH_MARKER_PREFIX];
  if (markers.some(m => source.startsWith(m))) {
    return true;
  }
  return (
    metadata !== undefined &&
    (metadata.settings_cell === true ||
      metadata.fresh_process === true ||
      metadata.profiled_cell !== undefined ||
      metadata.remedies !== undefined)
  );
}

/**
 * Start of the fresh-process cell's first line (its full marker lives in freshProcess.ts, which
 * imports this module; repeated here so the two modules do not import each other).
 */
const FRESH_MARKER_PREFIX = '# ascend-profiler: profiling run in a fresh Python process';

/** A paragraph element with the given text (dialog bodies are plain DOM, no React needed). */
function paragraph(text: string): HTMLElement {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

/**
 * A dialog body: paragraphs, then a list of the settings' titles.
 *
 * @param paragraphs - already translated text.
 * @param remedies - remedy ids; titles are shown as written in REMEDIES (they name the setting
 *   and its value, e.g. `TASK_QUEUE_ENABLE=2`).
 */
export function dialogBody(paragraphs: string[], remedies: string[]): Widget {
  const node = document.createElement('div');
  node.className = 'jp-AscendProfiler-restartDialog';
  paragraphs.forEach(text => node.appendChild(paragraph(text)));
  const list = document.createElement('ul');
  for (const id of remedies) {
    const item = document.createElement('li');
    item.textContent = REMEDIES[id]?.title ?? id;
    list.appendChild(item);
  }
  node.insertBefore(list, node.children[1] ?? null);
  return new Widget({ node });
}

/** Waits until the kernel answers (idle) after a restart, at most `timeoutMs`. */
async function waitForIdle(panel: NotebookPanel, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const kernel = panel.sessionContext.session?.kernel;
  if (kernel) {
    // `info` resolves once the restarted kernel answered kernel_info (services KernelConnection).
    await Promise.race([kernel.info, new Promise(resolve => setTimeout(resolve, timeoutMs))]);
  }
  while (Date.now() < deadline) {
    if (panel.sessionContext.kernelDisplayStatus === 'idle') {
      return true;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * Runs the given cells one after the other, stopping at the first one that fails.
 *
 * One `NotebookActions.runCells` call per cell: a single call queues every cell at once and only
 * says whether all succeeded; per cell we know which one failed and nothing after it is queued.
 *
 * @returns the index (in `cells`) of the cell that failed, or -1 when all ran.
 */
export async function runCellsInOrder(
  panel: NotebookPanel,
  cells: Cell[],
  translator: ITranslator
): Promise<number> {
  const dialogs = new SessionContextDialogs({ translator });
  for (let i = 0; i < cells.length; i++) {
    if (panel.isDisposed) {
      return i;
    }
    const ok = await NotebookActions.runCells(
      panel.content,
      [cells[i]],
      panel.sessionContext,
      dialogs,
      translator
    );
    if (!ok) {
      return i;
    }
  }
  return -1;
}

/**
 * Puts the settings of `remedies` into a settings cell at the top of the notebook (creating it, or
 * updating and moving to the top the one inserted earlier, recognised by metadata
 * `ascend_profiler.settings_cell = true`), after the user confirms in a dialog that explains what
 * happens; then restarts the kernel without the default restart dialog, and runs the code cells
 * from the top through the profiled cell and its profiling cell (other profiling and
 * fresh-process cells are skipped: they would profile again). Stops at the first cell that fails
 * and says which one.
 *
 * @param panel - the notebook.
 * @param profiledCellIndex - index of the profiled (user's) cell, before the settings cell is added.
 * @param remedies - remedy ids (those needing a restart and, optionally, runtime ones).
 * @param translator - the application translator.
 * @param options - profiler options, used only when the profiled cell has no profiling cell below.
 * @returns true when every cell ran; false when cancelled, when nothing applies, or when a cell
 *   failed (the user is told which).
 */
export async function restartAndApply(
  panel: NotebookPanel,
  profiledCellIndex: number,
  remedies: string[],
  translator: ITranslator,
  options: Partial<IProfileOptions> = {}
): Promise<boolean> {
  const trans: Trans = translator.load(TRANSLATION_DOMAIN);
  const notebook = panel.content;
  const model = notebook.model;
  const profiled = notebook.widgets[profiledCellIndex];
  if (!model || panel.isDisposed || !profiled || profiled.model.type !== 'code') {
    return false;
  }
  const existing = notebook.widgets.find(c => profilerMetadata(c)?.settings_cell === true);
  const previous = existing ? profilerMetadata(existing)?.remedies : undefined;
  const merged = [...new Set([...(Array.isArray(previous) ? (previous as string[]) : []), ...remedies])];
  const source = buildSettingsCell(merged);
  if (source === null) {
    return false;
  }
  if (!panel.sessionContext.session?.kernel) {
    await showDialog({
      title: trans.__('No kernel'),
      body: trans.__('This notebook has no running kernel to restart. Start a kernel and try again.'),
      buttons: [Dialog.okButton({ label: trans.__('OK') })]
    });
    return false;
  }

  const profiledNumber = String(profiledCellIndex + 1);
  const answer = await showDialog({
    title: trans.__('Restart the kernel and apply the settings?'),
    body: dialogBody(
      [
        trans.__(
          'These settings are read once, when the process first uses the device, so they cannot change in the running kernel:'
        ),
        trans.__(
          'A settings cell will be put at the top of the notebook (environment variables first; TASK_QUEUE_ENABLE after "import torch_npu", which resets it to 0 in Jupyter).'
        ),
        trans.__(
          'Then the kernel restarts: all variables are lost. Cells 1 to %1 run again from the top, then the cell is profiled again. This stops at the first cell that fails.',
          profiledNumber
        ),
        trans.__(
          'To keep this kernel as it is, choose "Profile in a fresh process" instead.'
        )
      ],
      merged
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Restart and Run') })
    ]
  });
  if (!answer.button.accept || panel.isDisposed || !notebook.model) {
    return false;
  }

  const profiledId = profiled.model.id;
  const metadata: ISettingsCellMetadata = { settings_cell: true, remedies: merged };
  model.sharedModel.transact(() => {
    const at = existing ? notebook.widgets.indexOf(existing) : -1;
    if (at >= 0) {
      existing!.model.sharedModel.setSource(source);
      existing!.model.setMetadata(CELL_METADATA_KEY, { ...metadata });
      if (at !== 0) {
        model.sharedModel.moveCell(at, 0);
      }
    } else {
      model.sharedModel.insertCell(0, {
        cell_type: 'code',
        source,
        metadata: { [CELL_METADATA_KEY]: { ...metadata } }
      });
    }
  });

  const index = notebook.widgets.findIndex(c => c.model.id === profiledId);
  if (index < 0) {
    return false;
  }
  // The profiling cell of the profiled cell: reuse it (it carries the user's profiler options);
  // add one when it is missing.
  let profiling = notebook.widgets[index + 1];
  if (
    !profiling ||
    profiling.model.type !== 'code' ||
    !profiling.model.sharedModel.getSource().startsWith(PROFILING_CELL_MARKER)
  ) {
    model.sharedModel.insertCell(index + 1, {
      cell_type: 'code',
      source: buildProfilingCell(profiled.model.sharedModel.getSource(), options),
      metadata: { [CELL_METADATA_KEY]: { profiled_cell: profiledId } }
    });
    profiling = notebook.widgets[index + 1];
  }

  try {
    // SessionContext.restartKernel restarts without asking; the confirmation is the dialog above.
    await panel.sessionContext.restartKernel();
  } catch (reason) {
    Notification.error(trans.__('The kernel could not be restarted: %1', String(reason)));
    return false;
  }
  if (!(await waitForIdle(panel, 120_000))) {
    Notification.error(
      trans.__('The kernel did not come back after the restart. Run the cells from the top yourself.')
    );
    return false;
  }

  const toRun: Cell[] = [];
  notebook.widgets.slice(0, index + 2).forEach((cell, i) => {
    if (cell.model.type !== 'code' || cell.model.sharedModel.getSource().trim() === '') {
      return;
    }
    const meta = profilerMetadata(cell);
    const source = cell.model.sharedModel.getSource();
    const isOldProfile =
      i !== index + 1 &&
      (source.startsWith(PROFILING_CELL_MARKER) ||
        source.startsWith(FRESH_MARKER_PREFIX) ||
        meta?.fresh_process === true);
    if (!isOldProfile) {
      toRun.push(cell);
    }
  });
  const failed = await runCellsInOrder(panel, toRun, translator);
  if (failed >= 0) {
    const cellNumber = notebook.widgets.indexOf(toRun[failed]) + 1;
    notebook.activeCellIndex = Math.max(0, cellNumber - 1);
    await showDialog({
      title: trans.__('Stopped at cell %1', String(cellNumber)),
      body: trans.__(
        'Cell %1 failed after the restart, so the cells after it did not run and the cell was not profiled again. The settings are in the first cell. Fix cell %1, then run the cells from there down to the profiling cell.',
        String(cellNumber)
      ),
      buttons: [Dialog.okButton({ label: trans.__('OK') })]
    });
    return false;
  }
  notebook.activeCellIndex = notebook.widgets.indexOf(profiling);
  return true;
}

/**
 * The index of the profiled (user's) cell for an output node, for the renderer host: the node
 * sits in a profiling or fresh-process cell, whose metadata `ascend_profiler.profiled_cell` names
 * the profiled cell's id; without that metadata, the cell right above is taken.
 *
 * @param panel - the notebook.
 * @param node - an element inside a cell's output.
 * @returns the index, or -1 when the node is in no cell or nothing is above it.
 */
export function profiledCellIndexOf(panel: NotebookPanel, node: HTMLElement): number {
  const widgets = panel.content.widgets;
  const at = widgets.findIndex(c => c.node.contains(node));
  if (at < 0) {
    return -1;
  }
  const id = profilerMetadata(widgets[at])?.profiled_cell;
  const byId = typeof id === 'string' ? widgets.findIndex(c => c.model.id === id) : -1;
  return byId >= 0 ? byId : at - 1;
}
